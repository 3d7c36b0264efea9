/**
 * Packed lexicons kept on disk (under DATA_DIR/lexicons): one file per dialect, named by a sha256 of
 * everything the packed form is made from (the lexicon files' text, the CMU dictionary, the dialect,
 * and the source of the code that maps and packs them). A new lexicon, or a new mapping, is a new
 * name: nothing can read a stale one. A file that cannot be read is rebuilt; one that cannot be
 * written is only a slower next start.
 */
import { createHash } from "node:crypto";
import { mkdir, readFile, readdir, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Dialect } from "./arpabet";
import { PackedDict } from "./packed";

export interface PackedLexicon {
  gold: PackedDict;
  silver: PackedDict;
  cmu: PackedDict;
}

const CODE = ["./arpabet.ts", "./lexicon.ts", "./packed.ts"];
let codeHash: string | undefined;

async function codeDigest(): Promise<string> {
  if (codeHash) return codeHash;
  const h = createHash("sha256");
  for (const f of CODE) h.update(await readFile(new URL(f, import.meta.url)).catch(() => Buffer.from(f)));
  return (codeHash = h.digest("hex"));
}

/** The cache key of a packed lexicon: what it is made from, hashed. */
export function lexiconKey(parts: string[]): Promise<string> {
  return codeDigest().then((code) => {
    const h = createHash("sha256").update(code);
    for (const p of parts) h.update(String(p.length)).update(":").update(p);
    return h.digest("hex").slice(0, 32);
  });
}

const dirOf = (cacheDir: string) => join(cacheDir, "lexicons");
const fileOf = (cacheDir: string, dialect: Dialect, key: string) =>
  join(dirOf(cacheDir), `${dialect}-${key}.packed`);

export async function readCachedLexicon(
  cacheDir: string,
  dialect: Dialect,
  key: string,
): Promise<PackedLexicon | undefined> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(fileOf(cacheDir, dialect, key)));
  } catch {
    return undefined;
  }
  try {
    const head = new DataView(bytes.buffer, bytes.byteOffset, 12);
    const [g, s] = [head.getUint32(0, true), head.getUint32(4, true)];
    const c = head.getUint32(8, true);
    if (12 + g + s + c !== bytes.length) throw new Error("wrong length");
    return {
      gold: PackedDict.fromBytes(bytes.subarray(12, 12 + g)),
      silver: PackedDict.fromBytes(bytes.subarray(12 + g, 12 + g + s)),
      cmu: PackedDict.fromBytes(bytes.subarray(12 + g + s)),
    };
  } catch {
    return undefined; // a damaged file: rebuilt and written again
  }
}

/** Writes the packed lexicon (atomically) unless it is there already, and removes the dialect's older ones. */
export async function writeCachedLexicon(
  cacheDir: string,
  dialect: Dialect,
  key: string,
  lx: PackedLexicon,
): Promise<void> {
  const path = fileOf(cacheDir, dialect, key);
  try {
    await mkdir(dirOf(cacheDir), { recursive: true });
    const names = await readdir(dirOf(cacheDir));
    if (!names.includes(`${dialect}-${key}.packed`)) {
      const parts = [lx.gold.toBytes(), lx.silver.toBytes(), lx.cmu.toBytes()];
      const head = new Uint8Array(12);
      const view = new DataView(head.buffer);
      parts.forEach((p, i) => view.setUint32(i * 4, p.length, true));
      const tmp = `${path}.${process.pid}.tmp`;
      await writeFile(tmp, Buffer.concat([head, ...parts]));
      await rename(tmp, path);
    }
    for (const n of names)
      if (n.startsWith(`${dialect}-`) && n.endsWith(".packed") && n !== `${dialect}-${key}.packed`)
        await rm(join(dirOf(cacheDir), n), { force: true });
  } catch {
    /* a read-only or full disk: the next start builds it again */
  }
}
