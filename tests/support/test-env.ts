/**
 * Preloaded by `bun test` (bunfig.toml): the environment every test process
 * and every service it spawns shares. The synth chunk cache's shared tier is a
 * JetStream bucket that outlives a run, so each run gets its own, small and
 * short-lived: a test never hears chunks a previous run made. Buckets of runs
 * more than an hour old are deleted here, so they do not pile up on the server.
 */
import { jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";

process.env.SYNTH_CACHE_BUCKET ??= `kokoro-chunks-test-${process.pid}-${Date.now().toString(36)}`;
process.env.SYNTH_CACHE_SHARED_MB ??= "256";
process.env.SYNTH_CACHE_TTL_HOURS ??= "0.25";

const HOUR_MS = 3_600_000;

async function deleteOldTestBuckets(url: string): Promise<void> {
  const nc = await connect({ servers: url, timeout: 1000, reconnect: false });
  try {
    const jsm = await jetstreamManager(nc, { timeout: 2000 });
    for await (const s of jsm.streams.list()) {
      const name = s.config.name;
      if (!name.startsWith("KV_kokoro-chunks-test-")) continue;
      if (Date.now() - Date.parse(s.created) > HOUR_MS) await jsm.streams.delete(name);
    }
  } finally {
    await nc.close();
  }
}

// Best effort: no NATS, or no JetStream, is not this file's concern.
await deleteOldTestBuckets(process.env.TEST_NATS_URL ?? "nats://127.0.0.1:4222").catch(() => {});
