/**
 * A read-only string dictionary packed into two strings and two offset arrays: the keys sorted and
 * joined, the values joined in the same order, plus an open-addressing hash table of entry numbers
 * (rebuilt on load, 8 bytes an entry): a lookup hashes the word, and compares it in place with one
 * or two keys. Held as a JS Map, a dialect's lexicons took about 190 MB (an object per entry, a hash
 * table, two strings each); packed they take a few bytes per character.
 *
 * `toBytes`/`fromBytes` write and read it as one buffer, so a g2p replica builds it once from the
 * JSON lexicons and later starts read it back without parsing them (lexicon-cache.ts).
 */
const enc = new TextEncoder();
const dec = new TextDecoder();
const MAGIC = 0x4b45504b; // "KEPK"

export class PackedDict {
  /** Entry number + 1 by hash slot (0: empty); a power of two at least twice the entries. */
  private readonly table: Uint32Array;

  private constructor(
    private readonly keys: string,
    /** keys.slice(keyAt[i], keyAt[i + 1]) is the i-th key; length n + 1. */
    private readonly keyAt: Uint32Array,
    private readonly values: string,
    private readonly valueAt: Uint32Array,
  ) {
    const n = keyAt.length - 1;
    let size = 16;
    while (size < n * 2) size *= 2;
    this.table = new Uint32Array(size);
    const mask = size - 1;
    for (let i = 0; i < n; i++) {
      let slot = hashOf(keys, keyAt[i]!, keyAt[i + 1]!) & mask;
      while (this.table[slot] !== 0) slot = (slot + 1) & mask;
      this.table[slot] = i + 1;
    }
  }

  static fromEntries(entries: Iterable<readonly [string, string]>): PackedDict {
    const sorted = [...entries].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    // later duplicates of a key are dropped (the first one wins, as Map.set would not do: callers pass unique keys)
    const unique = sorted.filter((e, i) => i === 0 || e[0] !== sorted[i - 1]![0]);
    const keyAt = new Uint32Array(unique.length + 1);
    const valueAt = new Uint32Array(unique.length + 1);
    let k = 0;
    let v = 0;
    unique.forEach(([key, value], i) => {
      keyAt[i] = k;
      valueAt[i] = v;
      k += key.length;
      v += value.length;
    });
    keyAt[unique.length] = k;
    valueAt[unique.length] = v;
    return new PackedDict(unique.map((e) => e[0]).join(""), keyAt, unique.map((e) => e[1]).join(""), valueAt);
  }

  get size(): number {
    return this.keyAt.length - 1;
  }

  private find(key: string): number {
    const mask = this.table.length - 1;
    let slot = hashOf(key, 0, key.length) & mask;
    for (let e = this.table[slot]!; e !== 0; e = this.table[(slot = (slot + 1) & mask)]!) {
      const i = e - 1;
      const start = this.keyAt[i]!;
      if (this.keyAt[i + 1]! - start === key.length && this.keys.startsWith(key, start)) return i;
    }
    return -1;
  }

  get(key: string): string | undefined {
    const i = this.find(key);
    return i < 0 ? undefined : this.values.slice(this.valueAt[i]!, this.valueAt[i + 1]!);
  }

  has(key: string): boolean {
    return this.find(key) >= 0;
  }

  *entries(): IterableIterator<[string, string]> {
    for (let i = 0; i < this.size; i++)
      yield [
        this.keys.slice(this.keyAt[i]!, this.keyAt[i + 1]!),
        this.values.slice(this.valueAt[i]!, this.valueAt[i + 1]!),
      ];
  }

  /** One buffer: magic, count, the two offset arrays, then the keys and values as UTF-8 with their byte lengths. */
  toBytes(): Uint8Array {
    const keys = enc.encode(this.keys);
    const values = enc.encode(this.values);
    const n = this.size;
    const head = new Uint32Array([MAGIC, n, keys.length, values.length]);
    const out = new Uint8Array(16 + 8 * (n + 1) + keys.length + values.length);
    out.set(new Uint8Array(head.buffer), 0);
    out.set(new Uint8Array(this.keyAt.buffer, this.keyAt.byteOffset, this.keyAt.byteLength), 16);
    out.set(
      new Uint8Array(this.valueAt.buffer, this.valueAt.byteOffset, this.valueAt.byteLength),
      16 + 4 * (n + 1),
    );
    out.set(keys, 16 + 8 * (n + 1));
    out.set(values, 16 + 8 * (n + 1) + keys.length);
    return out;
  }

  /** Reads what `toBytes` wrote; throws on anything else (a truncated or foreign file). */
  static fromBytes(bytes: Uint8Array): PackedDict {
    if (bytes.length < 16) throw new Error("packed dictionary: too short");
    const head = new Uint32Array(bytes.slice(0, 16).buffer);
    const [magic, n, kLen, vLen] = [head[0]!, head[1]!, head[2]!, head[3]!];
    if (magic !== MAGIC) throw new Error("packed dictionary: not a packed dictionary");
    const offsets = 16 + 8 * (n + 1);
    if (bytes.length !== offsets + kLen + vLen) throw new Error("packed dictionary: wrong length");
    const keyAt = new Uint32Array(bytes.slice(16, 16 + 4 * (n + 1)).buffer);
    const valueAt = new Uint32Array(bytes.slice(16 + 4 * (n + 1), offsets).buffer);
    const keys = dec.decode(bytes.subarray(offsets, offsets + kLen));
    const values = dec.decode(bytes.subarray(offsets + kLen));
    if (keyAt[n] !== keys.length || valueAt[n] !== values.length)
      throw new Error("packed dictionary: offsets do not match the text");
    return new PackedDict(keys, keyAt, values, valueAt);
  }
}

/** FNV-1a over UTF-16 code units of text[start, end). */
function hashOf(text: string, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
