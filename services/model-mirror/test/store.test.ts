import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { BlobStore, IntegrityError } from "../src/store";
import { cleanupTemp, sha256, tempDir } from "./helpers";

afterAll(cleanupTemp);

describe("blob store", () => {
  const bytes = (n: number, seed: number) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff);

  test("verified bytes move into blobs/ under their sha256; nothing is left in tmp/", async () => {
    const store = new BlobStore(tempDir());
    const good = bytes(70_000, 1);
    const p = await store.begin("k1", { size: good.length, maxSize: 1 << 20, sha256: sha256(good) });
    await p.write(good.subarray(0, 30_000));
    await p.write(good.subarray(30_000));
    const got = await p.commit();
    expect(got).toMatchObject({ sha256: sha256(good), size: good.length });
    expect(sha256(readFileSync(store.blobPath(got.sha256)))).toBe(sha256(good));
    expect(readdirSync(store.tmpDir)).toEqual([]);
  });

  test("after a failed verification, a reset and retry on the same key always commits (the old temp file is gone first)", async () => {
    const store = new BlobStore(tempDir());
    const good = bytes(300_000, 2);
    const wrong = new Uint8Array(good);
    wrong[1000] = wrong[1000]! ^ 0xff;
    // The retry reopens the same temp path at once: a delete of the failed
    // bytes that lands late would unlink the retry's file under it.
    // Several at once, as a sync runs them, so the file system's thread pool is busy.
    const retry = async (key: string) => {
      const p = await store.begin(key, { size: good.length, maxSize: 1 << 20, sha256: sha256(good) });
      await p.write(wrong);
      const err = await p.commit().catch((e) => e);
      expect(err).toBeInstanceOf(IntegrityError);
      expect((err as IntegrityError).reason).toBe("sha256");
      await p.reset();
      await p.write(good);
      return (await p.commit()).sha256;
    };
    for (let round = 0; round < 10; round++) {
      const got = await Promise.all(Array.from({ length: 6 }, (_, i) => retry(`retry${round}x${i}`)));
      expect(got).toEqual(Array(6).fill(sha256(good)));
      expect(existsSync(store.blobPath(sha256(good)))).toBe(true);
    }
    expect(readdirSync(store.tmpDir)).toEqual([]);
  });

  test("an interrupted download resumes from the bytes already in tmp/", async () => {
    const root = tempDir();
    const good = bytes(50_000, 3);
    const first = await new BlobStore(root).begin("resume", {
      size: good.length,
      maxSize: 1 << 20,
      sha256: sha256(good),
    });
    await first.write(good.subarray(0, 20_000));
    await first.close();
    const again = await new BlobStore(root).begin("resume", {
      size: good.length,
      maxSize: 1 << 20,
      sha256: sha256(good),
    });
    expect(again.offset).toBe(20_000);
    await again.write(good.subarray(20_000));
    expect((await again.commit()).sha256).toBe(sha256(good));
  });

  test("more bytes than listed, or than MIRROR_MAX_FILE_BYTES, are refused while they arrive", async () => {
    const store = new BlobStore(tempDir());
    const listed = await store.begin("over", { size: 10, maxSize: 100, sha256: "0".repeat(64) });
    expect(await listed.write(bytes(11, 4)).catch((e) => (e as IntegrityError).reason)).toBe("size");
    await listed.close();
    const capped = await store.begin("cap", { maxSize: 100, sha256: "0".repeat(64) });
    expect(await capped.write(bytes(101, 5)).catch((e) => (e as IntegrityError).reason)).toBe("too_large");
    await capped.close();
  });
});
