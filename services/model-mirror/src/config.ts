import { join } from "node:path";
import { z } from "zod";
import { commonConfig, emptyToUndefined, intVar } from "@kokoro-edge/runtime";
import { parseDuration } from "./duration";
import { parseRepoSpecs, parseUpstreams } from "./specs";

export const DEFAULT_REPOS = "onnx-community/Kokoro-82M-v1.0-ONNX@main:onnx/model.onnx;config.json;voices/*.bin";

const duration = (def: string) =>
  z.preprocess(emptyToUndefined, z.string().default(def)).transform((v, ctx) => {
    try {
      return parseDuration(v);
    } catch (err) {
      ctx.addIssue({ code: "custom", message: (err as Error).message });
      return z.NEVER;
    }
  });

const parsed = <T>(def: string, parse: (v: string) => T) =>
  z.preprocess(emptyToUndefined, z.string().default(def)).transform((v, ctx) => {
    try {
      return parse(v);
    } catch (err) {
      ctx.addIssue({ code: "custom", message: (err as Error).message });
      return z.NEVER;
    }
  });

export const mirrorConfig = commonConfig
  .extend({
    /** The mirror's HTTP server (health, metrics, HF-compatible routes). 0 = any free port. */
    MIRROR_PORT: intVar(8081, 0, 65535),
    MIRROR_HOST: z.preprocess(emptyToUndefined, z.string().default("0.0.0.0")),
    /** The store; default `${DATA_DIR}/mirror`. */
    MIRROR_DIR: z.preprocess(emptyToUndefined, z.string().optional()),
    /** Ordered, comma-separated: HF-compatible base URLs and file:///folders. */
    MIRROR_UPSTREAMS: parsed("https://huggingface.co", parseUpstreams),
    /** Comma-separated `owner/name@revision[:glob;glob...]`. */
    MIRROR_REPOS: parsed(DEFAULT_REPOS, parseRepoSpecs),
    /** How often to look for a new version (`1h`, `30m`, `90s`; `0` = only at start). */
    MIRROR_SYNC_INTERVAL: duration("1h"),
    /** How often to re-hash every stored blob (`0` = never). */
    MIRROR_SCRUB_INTERVAL: duration("24h"),
    /** Base URL other processes reach this mirror's HTTP server at (lookup replies' `url`). Default http://127.0.0.1:<port>. */
    MIRROR_PUBLIC_URL: z.preprocess(emptyToUndefined, z.string().url().optional()),
    /** Connect, response-header and between-chunk timeout for upstream requests. */
    MIRROR_TIMEOUT_MS: intVar(30_000, 100),
    /** Largest file the mirror accepts from an upstream. */
    MIRROR_MAX_FILE_BYTES: intVar(2 * 1024 ** 3, 1),
    /** Files downloaded at once during a sync. */
    MIRROR_CONCURRENCY: intVar(4, 1, 32),
    /** Consecutive failures that open an upstream's circuit breaker, and how long it stays open. */
    MIRROR_BREAKER_FAILURES: intVar(3, 1),
    MIRROR_BREAKER_COOLDOWN: duration("30s"),
    /** Longest Retry-After the mirror waits out when no other upstream can serve. */
    MIRROR_MAX_RETRY_AFTER: duration("60s"),
    /** Access token for private repos on Hugging Face upstreams. */
    HF_TOKEN: z.preprocess(emptyToUndefined, z.string().optional()),
  })
  .transform((c) => ({ ...c, MIRROR_DIR: c.MIRROR_DIR ?? join(c.DATA_DIR, "mirror") }));

export type MirrorConfig = z.infer<typeof mirrorConfig>;
