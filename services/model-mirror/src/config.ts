import { join } from "node:path";
import { z } from "zod";
import { commonConfig, emptyToUndefined, intVar } from "@kokoro-edge/runtime";
import {
  DEFAULT_DTYPE,
  Dtype,
  KOKORO_REPO,
  MISAKI_COMMIT,
  MISAKI_LEXICONS,
  MISAKI_REPO,
  MODEL_VARIANTS,
  TOKENIZER_FILE,
} from "@kokoro-edge/proto";
import { parseDuration } from "./duration";
import { parsePinnedSpecs, parseRepoSpecs, parseUpstreams } from "./specs";

/**
 * What g2p and synth need from the public ONNX repo, and nothing else: the one
 * model variant KOKORO_DTYPE names, the vocab (tokenizer.json) and the voices.
 */
export const defaultRepos = (dtype: Dtype = DEFAULT_DTYPE) =>
  `${KOKORO_REPO}@main:${MODEL_VARIANTS[dtype]};${TOKENIZER_FILE};voices/*.bin`;
export const DEFAULT_REPOS = defaultRepos();

/** misaki's lexicons, pinned by commit and sha256 (see proto's kokoro.ts). */
export const DEFAULT_PINNED = `${MISAKI_REPO}@${MISAKI_COMMIT}:${Object.entries(MISAKI_LEXICONS)
  .map(([path, sha]) => `${path}=${sha}`)
  .join(";")}`;

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
    /** The model variant to mirror (and that synth loads): fp32, fp16, q8, q8f16, uint8, uint8f16, q4, q4f16. */
    KOKORO_DTYPE: z.preprocess(emptyToUndefined, Dtype.optional()),
    /** Comma-separated `owner/name@revision[:glob;glob...]`. Default: the Kokoro ONNX repo's KOKORO_DTYPE variant, tokenizer.json and voices. */
    MIRROR_REPOS: z.preprocess(emptyToUndefined, z.string().optional()),
    /**
     * Files pinned by commit and sha256, fetched from any upstream that has them
     * and from MIRROR_PINNED_UPSTREAMS: comma-separated `owner/name@commit:path=sha256;...`,
     * or `none`. Default: misaki's four pronunciation lexicons.
     */
    MIRROR_PINNED: parsed(DEFAULT_PINNED, (v) => (v.trim() === "none" ? [] : parsePinnedSpecs(v))),
    /** Plain HTTPS sources of pinned files, serving `{base}/{owner}/{name}/{commit}/{path}` (GitHub's raw files by default; `none` for none). */
    MIRROR_PINNED_UPSTREAMS: parsed("https://raw.githubusercontent.com", (v) =>
      v.trim() === "none" ? [] : parseUpstreams(v, "raw"),
    ),
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
  .transform((c, ctx) => {
    let repos;
    try {
      repos = parseRepoSpecs(c.MIRROR_REPOS ?? defaultRepos(c.KOKORO_DTYPE));
    } catch (err) {
      ctx.addIssue({ code: "custom", path: ["MIRROR_REPOS"], message: (err as Error).message });
      return z.NEVER;
    }
    return {
      ...c,
      MIRROR_REPOS: [...repos, ...c.MIRROR_PINNED],
      MIRROR_DIR: c.MIRROR_DIR ?? join(c.DATA_DIR, "mirror"),
    };
  });

export type MirrorConfig = z.infer<typeof mirrorConfig>;
