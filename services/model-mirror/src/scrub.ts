/**
 * Integrity over time: re-hash every blob the current versions use. A blob
 * whose bytes no longer match its name is moved to quarantine at once (so it
 * is never served), marked in the database, and the sync fetches it again.
 */
import type { Logger } from "@kokoro-edge/runtime";
import type { Catalog } from "./catalog";
import type { MirrorMetrics } from "./metrics";
import type { MirrorState } from "./state";
import { sha256OfFile, type BlobStore } from "./store";

export async function scrubOnce(deps: {
  store: BlobStore;
  state: MirrorState;
  catalog: Catalog;
  metrics: MirrorMetrics;
  log: Logger;
}): Promise<string[]> {
  const { store, state, catalog, metrics, log } = deps;
  const bad: string[] = [];
  for (const { sha256 } of await store.list()) {
    let actual: string;
    try {
      actual = (await sha256OfFile(store.blobPath(sha256))).sha256;
    } catch {
      continue; // vanished meanwhile
    }
    if (actual === sha256) {
      metrics.scrubbed.inc({ result: "ok" });
      state.quarantined.delete(sha256);
      await catalog.markVerified(sha256).catch(() => {});
      continue;
    }
    state.quarantined.add(sha256);
    const where = await store.quarantine(sha256);
    metrics.scrubbed.inc({ result: "corrupt" });
    log.error("a stored blob no longer matches its checksum; quarantined, fetching it again", {
      sha256,
      actual,
      moved_to: where,
    });
    await catalog.markQuarantined(sha256).catch(() => {});
    bad.push(sha256);
  }
  return bad;
}
