/**
 * The content-addressed store: `blobs/sha256/ab/abcd...` under MIRROR_DIR.
 * Bytes arrive in `tmp/` while they are hashed, and move into `blobs/` by an
 * atomic rename only after their size and checksum match what the upstream
 * listing promised. Nothing in `blobs/` is ever rewritten in place; a blob
 * that fails a scrub moves to `quarantine/`.
 */
import { createHash, type Hash } from "node:crypto";
import { createReadStream, existsSync, mkdirSync, statSync } from "node:fs";
import { open, rename, rm, stat, readdir } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";

export interface Expected {
  /** Undefined when only the checksum is known; then `maxSize` bounds the download. */
  size?: number;
  maxSize: number;
  /** Known for LFS files and SHA256SUMS listings. */
  sha256?: string;
  /** Git blob sha1, for small (non-LFS) files on HF. */
  gitSha1?: string;
}

export class IntegrityError extends Error {
  constructor(
    readonly reason: "size" | "sha256" | "git_sha1" | "too_large",
    message: string,
  ) {
    super(message);
    this.name = "IntegrityError";
  }
}

/** sha256 and git-blob sha1 computed together over one pass of the bytes. */
export class Hasher {
  private readonly sha256: Hash = createHash("sha256");
  /** Git's blob hash needs the size up front: only when it is known. */
  private readonly sha1?: Hash;
  bytes = 0;
  constructor(size?: number) {
    if (size !== undefined) this.sha1 = createHash("sha1").update(`blob ${size}\0`);
  }
  update(chunk: Uint8Array) {
    this.sha256.update(chunk);
    this.sha1?.update(chunk);
    this.bytes += chunk.byteLength;
  }
  digest(): { sha256: string; gitSha1?: string } {
    return { sha256: this.sha256.digest("hex"), gitSha1: this.sha1?.digest("hex") };
  }
}

export async function sha256OfFile(path: string): Promise<{ sha256: string; size: number }> {
  const h = createHash("sha256");
  let size = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    h.update(chunk as Buffer);
    size += (chunk as Buffer).byteLength;
  }
  return { sha256: h.digest("hex"), size };
}

/** A download in progress: a temp file that can be appended to and resumed. */
export interface Partial {
  readonly path: string;
  /** Bytes already in the temp file (and fed to the hasher). */
  readonly offset: number;
  write(chunk: Uint8Array): Promise<void>;
  /** Drop everything written so far. */
  reset(): Promise<void>;
  /** Verify and move into the store; returns the blob's sha256 and git blob sha1. Throws IntegrityError (and deletes the temp file) on mismatch. */
  commit(): Promise<{ sha256: string; gitSha1?: string; size: number }>;
  /** Keep the temp file for a later resume, close it. */
  close(): Promise<void>;
}

export class BlobStore {
  readonly blobsDir: string;
  readonly tmpDir: string;
  readonly quarantineDir: string;

  readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
    this.blobsDir = join(this.root, "blobs", "sha256");
    this.tmpDir = join(this.root, "tmp");
    this.quarantineDir = join(this.root, "quarantine");
    for (const d of [this.blobsDir, this.tmpDir, this.quarantineDir]) mkdirSync(d, { recursive: true });
  }

  blobPath(sha256: string): string {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error(`not a sha256: ${sha256}`);
    return join(this.blobsDir, sha256.slice(0, 2), sha256);
  }

  /** The blob's size, or undefined when it is not stored. */
  sizeOf(sha256: string): number | undefined {
    try {
      const s = statSync(this.blobPath(sha256));
      return s.isFile() ? s.size : undefined;
    } catch {
      return undefined;
    }
  }

  /** True when the blob is in the store with the expected size (a cheap check; the scrub re-hashes). */
  has(sha256: string, size?: number): boolean {
    try {
      const s = statSync(this.blobPath(sha256));
      return s.isFile() && (size === undefined || s.size === size);
    } catch {
      return false;
    }
  }

  /**
   * Open the temp file for a download, keyed by what it should become, so a
   * download interrupted by a crash is found and resumed after a restart. The
   * bytes already there are re-hashed first.
   */
  async begin(key: string, expected: Expected): Promise<Partial> {
    if (!/^[A-Za-z0-9_-]+$/.test(key)) throw new Error(`bad temp key ${key}`);
    const path = join(this.tmpDir, `${key}.part`);
    let hasher = new Hasher(expected.size);
    if (existsSync(path)) {
      const size = statSync(path).size;
      if (size > (expected.size ?? expected.maxSize)) await rm(path, { force: true });
      else
        for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }))
          hasher.update(chunk as Buffer);
    }
    let fh = await open(path, "a");
    const store = this;
    return {
      path,
      get offset() {
        return hasher.bytes;
      },
      async write(chunk) {
        if (expected.size !== undefined && hasher.bytes + chunk.byteLength > expected.size) {
          throw new IntegrityError("size", `more bytes than the ${expected.size} listed`);
        }
        if (hasher.bytes + chunk.byteLength > expected.maxSize)
          throw new IntegrityError(
            "too_large",
            `more than the ${expected.maxSize} bytes allowed (MIRROR_MAX_FILE_BYTES)`,
          );
        hasher.update(chunk);
        let off = 0;
        while (off < chunk.byteLength) {
          const { bytesWritten } = await fh.write(chunk, off, chunk.byteLength - off);
          off += bytesWritten;
        }
      },
      async reset() {
        await fh.close().catch(() => {});
        await rm(path, { force: true });
        hasher = new Hasher(expected.size);
        fh = await open(path, "a");
      },
      async commit() {
        await fh.sync().catch(() => {});
        await fh.close().catch(() => {});
        const got = { ...hasher.digest(), size: hasher.bytes };
        // Awaited: a caller that resets and retries reopens this same path, and
        // a late delete would unlink the retry's fresh file under it.
        const fail = async (reason: IntegrityError["reason"], msg: string) => {
          await rm(path, { force: true });
          return new IntegrityError(reason, msg);
        };
        if (expected.size !== undefined && got.size !== expected.size)
          throw await fail("size", `got ${got.size} bytes, expected ${expected.size}`);
        if (expected.sha256 && got.sha256 !== expected.sha256)
          throw await fail("sha256", `sha256 ${got.sha256} does not match the listed ${expected.sha256}`);
        if (expected.gitSha1 && got.gitSha1 !== expected.gitSha1)
          throw await fail(
            "git_sha1",
            `git blob sha1 ${got.gitSha1} does not match the listed ${expected.gitSha1}`,
          );
        if (!expected.sha256 && !expected.gitSha1)
          throw await fail("sha256", "no checksum to verify against");
        const target = store.blobPath(got.sha256);
        mkdirSync(dirname(target), { recursive: true });
        await rename(path, target);
        return { sha256: got.sha256, gitSha1: got.gitSha1, size: got.size };
      },
      async close() {
        await fh.close().catch(() => {});
      },
    };
  }

  /** Move a blob that failed verification out of the served store. */
  async quarantine(sha256: string): Promise<string | undefined> {
    const src = this.blobPath(sha256);
    if (!existsSync(src)) return undefined;
    const dst = join(this.quarantineDir, `${sha256}.${Date.now()}`);
    await rename(src, dst);
    return dst;
  }

  /** Every blob in the store. */
  async list(): Promise<{ sha256: string; size: number }[]> {
    const out: { sha256: string; size: number }[] = [];
    for (const prefix of await readdir(this.blobsDir).catch(() => [] as string[])) {
      for (const name of await readdir(join(this.blobsDir, prefix)).catch(() => [] as string[])) {
        if (!/^[0-9a-f]{64}$/.test(name)) continue;
        const s = await stat(join(this.blobsDir, prefix, name)).catch(() => undefined);
        if (s?.isFile()) out.push({ sha256: name, size: s.size });
      }
    }
    return out;
  }
}
