// Load profiles and thresholds for the k6 scripts. Plain JavaScript with no
// k6 imports, so the repository's tests can import it and check that every
// profile covers both transports and has TTFA and error-rate thresholds.
//
// Every profile runs two scenarios side by side:
//   chunked: POST /v1/audio/speech, response_format pcm, read to the end
//   sse:     the same with stream_format "sse" (speech.audio.delta events)
// Virtual users (VUs) = concurrent streams. Scale with VUS (the peak).

const env = (typeof __ENV !== "undefined" && __ENV) || {};
const num = (name, def) => (env[name] !== undefined && env[name] !== "" ? Number(env[name]) : def);

/** Share of VUs on SSE (0..1); the rest stream chunked audio. */
export const SSE_SHARE = num("SSE_SHARE", 0.5);

/**
 * Stages per profile, as fractions of the peak VUs (VUS) and durations.
 * smoke:  1 VU, a minute: does it work at all?
 * load:   ramp to the expected peak, hold, ramp down.
 * stress: step past the expected peak to find where latency breaks.
 * spike:  from a trickle to 3x the peak in 10 s, and back.
 * soak:   the expected load for hours: leaks, drift, slow degradation.
 */
export const PROFILES = {
  smoke: { vus: 1, stages: [{ duration: "1m", target: 1 }] },
  load: {
    vus: 20,
    stages: [
      { duration: "2m", target: 1.0 },
      { duration: "10m", target: 1.0 },
      { duration: "1m", target: 0 },
    ],
  },
  stress: {
    vus: 20,
    stages: [
      { duration: "2m", target: 1.0 },
      { duration: "5m", target: 1.0 },
      { duration: "2m", target: 2.0 },
      { duration: "5m", target: 2.0 },
      { duration: "2m", target: 3.0 },
      { duration: "5m", target: 3.0 },
      { duration: "2m", target: 0 },
    ],
  },
  spike: {
    vus: 20,
    stages: [
      { duration: "1m", target: 0.1 },
      { duration: "10s", target: 3.0 },
      { duration: "3m", target: 3.0 },
      { duration: "10s", target: 0.1 },
      { duration: "3m", target: 0.1 },
      { duration: "10s", target: 0 },
    ],
  },
  soak: {
    vus: 10,
    stages: [
      { duration: "5m", target: 1.0 },
      { duration: "4h", target: 1.0 },
      { duration: "5m", target: 0 },
    ],
  },
};

/**
 * Thresholds per profile. ttfa_ms is time to the first audio byte (SSE: the
 * first speech.audio.delta; chunked: see README, k6 reads a chunked body only
 * whole, so chunked uses time to response headers, ttfb_ms, which the gateway
 * sends once a synth worker accepted the stream). speech_errors counts any
 * failed stream (HTTP error, SSE error event, no audio, stream cut short).
 */
export const THRESHOLDS = {
  smoke: { ttfaP95: 1000, ttfbP95: 1000, errorRate: 0.0, abort: true },
  load: { ttfaP95: 800, ttfbP95: 600, errorRate: 0.01, abort: false },
  stress: { ttfaP95: 2500, ttfbP95: 2000, errorRate: 0.05, abort: false },
  spike: { ttfaP95: 3000, ttfbP95: 2500, errorRate: 0.05, abort: false },
  soak: { ttfaP95: 800, ttfbP95: 600, errorRate: 0.01, abort: false },
};

function scaledStages(stages, vus) {
  return stages.map((s) => ({ duration: s.duration, target: Math.round(s.target * vus) }));
}

/** k6 `options` for a profile: two ramping-VU scenarios and the thresholds. */
export function buildOptions(profile) {
  const p = PROFILES[profile];
  const t = THRESHOLDS[profile];
  if (!p || !t) throw new Error(`unknown profile ${profile}`);
  const peak = num("VUS", p.vus);
  const sseVus = profile === "smoke" ? peak : Math.max(1, Math.round(peak * SSE_SHARE));
  const chunkedVus = profile === "smoke" ? peak : Math.max(1, peak - sseVus);
  const th = (expr) => (t.abort ? [{ threshold: expr, abortOnFail: true, delayAbortEval: "20s" }] : [expr]);
  return {
    scenarios: {
      chunked: {
        executor: "ramping-vus",
        exec: "chunked",
        startVUs: 0,
        stages: scaledStages(p.stages, chunkedVus),
        gracefulRampDown: "60s",
        gracefulStop: "60s",
      },
      sse: {
        executor: "ramping-vus",
        exec: "sse",
        startVUs: 0,
        stages: scaledStages(p.stages, sseVus),
        gracefulRampDown: "60s",
        gracefulStop: "60s",
      },
    },
    thresholds: {
      "ttfa_ms{transport:sse}": th(`p(95)<${t.ttfaP95}`),
      "ttfb_ms{transport:chunked}": th(`p(95)<${t.ttfbP95}`),
      speech_errors: th(`rate<=${t.errorRate}`),
      "speech_errors{transport:sse}": [`rate<=${t.errorRate}`],
      "speech_errors{transport:chunked}": [`rate<=${t.errorRate}`],
      checks: [`rate>=${1 - Math.max(t.errorRate, 0.001)}`],
    },
    summaryTrendStats: ["avg", "min", "med", "p(90)", "p(95)", "p(99)", "max"],
    tags: { profile },
  };
}
