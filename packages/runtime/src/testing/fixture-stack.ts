/**
 * Where tests find ../shared (real voice packs, Kokoro's config, misaki's
 * lexicons), and the environment of a whole platform in one process on the
 * generated fixture model: the set-up most end-to-end tests share.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const repoRoot = join(import.meta.dir, "..", "..", "..", "..");

/** ../shared beside the repository, or SHARED_DIR. */
export const sharedDir = (): string => process.env.SHARED_DIR ?? join(repoRoot, "..", "shared");
export const sharedPaths = () => ({
  voicesDir: join(sharedDir(), "kokoro", "voices"),
  kokoroConfig: join(sharedDir(), "kokoro", "config.json"),
  lexiconDir: join(sharedDir(), "lexicons", "misaki"),
});

/** Environment for `startStack`: fixture model, real voices and lexicons, ephemeral ports, a fresh DATA_DIR. */
export function fixtureStackEnv(
  name: string,
  overrides: Record<string, string> = {},
): Record<string, string> {
  const p = sharedPaths();
  return {
    PORT: "0",
    HOST: "127.0.0.1",
    MIRROR_PORT: "0",
    DATA_DIR: mkdtempSync(join(tmpdir(), `ke-${name}-`)),
    KOKORO_MODEL: "fixture",
    VOICES_DIR: p.voicesDir,
    KOKORO_CONFIG: p.kokoroConfig,
    LEXICON_DIR: p.lexiconDir,
    MIRROR_UPSTREAMS: "file:///nonexistent-upstream",
    MIRROR_PINNED: "none",
    LOG_LEVEL: "warn",
    // the test run's own shared chunk-cache bucket, when on NATS (tests/support/test-env.ts)
    ...Object.fromEntries(
      ["SYNTH_CACHE_BUCKET", "SYNTH_CACHE_SHARED_MB", "SYNTH_CACHE_TTL_HOURS"].flatMap((k) =>
        process.env[k] ? [[k, process.env[k]!]] : [],
      ),
    ),
    ...overrides,
  };
}
