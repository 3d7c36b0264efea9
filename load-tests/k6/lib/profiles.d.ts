// Types for profiles.js (plain JavaScript so that k6 can load it unchanged).
export interface Stage {
  duration: string;
  target: number;
}
export interface Profile {
  vus: number;
  stages: Stage[];
}
export interface Thresholds {
  ttfaP95: number;
  ttfbP95: number;
  errorRate: number;
  abort: boolean;
}
export declare const SSE_SHARE: number;
export declare const PROFILES: Record<"smoke" | "load" | "stress" | "spike" | "soak", Profile>;
export declare const THRESHOLDS: Record<"smoke" | "load" | "stress" | "spike" | "soak", Thresholds>;
export declare function buildOptions(profile: string): {
  scenarios: Record<
    string,
    {
      executor: string;
      exec: string;
      startVUs: number;
      stages: Stage[];
      gracefulRampDown: string;
      gracefulStop: string;
    }
  >;
  thresholds: Record<
    string,
    (string | { threshold: string; abortOnFail: boolean; delayAbortEval: string })[]
  >;
  summaryTrendStats: string[];
  tags: Record<string, string>;
};
