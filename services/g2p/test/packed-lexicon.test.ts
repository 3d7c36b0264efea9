/** Packed lexicons: the same answers as the JSON they are made from, kept under DATA_DIR by a checksum of their sources. */
import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { readFileSync } from "node:fs";
import { mkdtemp, readdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadLexicon } from "../src/pronounce/lexicon";
import { PackedDict } from "../src/pronounce/packed";
import { LEXICON_DIR } from "./shared";

describe("PackedDict", () => {
  test("answers exactly as a Map of the same entries, for present and absent keys", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.string()), fc.array(fc.string()), (obj, probes) => {
        const map = new Map(Object.entries(obj));
        const packed = PackedDict.fromEntries(map);
        expect(packed.size).toBe(map.size);
        for (const k of [...map.keys(), ...probes]) {
          expect(packed.get(k)).toBe(map.get(k));
          expect(packed.has(k)).toBe(map.has(k));
        }
        const back = PackedDict.fromBytes(packed.toBytes());
        expect([...back.entries()]).toEqual([...packed.entries()]);
      }),
      { numRuns: 300 },
    );
  });

  test("a damaged buffer is refused, not misread", () => {
    const bytes = PackedDict.fromEntries([["a", "b"]]).toBytes();
    expect(() => PackedDict.fromBytes(bytes.subarray(0, bytes.length - 1))).toThrow(/length/);
    const foreign = bytes.slice();
    foreign[0] = 0;
    expect(() => PackedDict.fromBytes(foreign)).toThrow(/not a packed/);
  });
});

describe("misaki's lexicons, packed", () => {
  test("every gold and silver word gives what the JSON says (heteronyms included)", async () => {
    for (const dialect of ["us", "gb"] as const) {
      const lx = await loadLexicon(dialect, LEXICON_DIR);
      const gold = JSON.parse(readFileSync(join(LEXICON_DIR, `${dialect}_gold.json`), "utf8"));
      const silver = JSON.parse(readFileSync(join(LEXICON_DIR, `${dialect}_silver.json`), "utf8"));
      let heteronyms = 0;
      for (const [w, e] of Object.entries(gold)) {
        expect(lx.getGold(w)).toEqual(e as never);
        if (typeof e !== "string") heteronyms++;
      }
      for (const [w, e] of Object.entries(silver))
        if (!(w in gold)) expect(lx.getMisaki(w)).toEqual(e as never);
      expect(heteronyms).toBeGreaterThan(100);
      expect(lx.get("zzzqqq")).toBeUndefined();
    }
  }, 60_000);

  test("kept under DATA_DIR: a second load reads it back; a changed source makes a new one", async () => {
    const data = await mkdtemp(join(tmpdir(), "g2p-packed-"));
    const src = await mkdtemp(join(tmpdir(), "g2p-lexsrc-"));
    await writeFile(
      join(src, "us_gold.json"),
      JSON.stringify({ tomato: "təmˈɑtO", read: { DEFAULT: "ɹˈid", VBD: "ɹˈɛd" } }),
    );
    await writeFile(join(src, "us_silver.json"), JSON.stringify({ potato: "pəˈtɑtO" }));
    const first = await loadLexicon("us", src, false, data);
    const files = await readdir(join(data, "lexicons"));
    expect(files).toHaveLength(1);
    const second = await loadLexicon("us", src, false, data);
    expect(await readdir(join(data, "lexicons"))).toEqual(files);
    for (const w of ["tomato", "potato", "read", "hello"]) expect(second.get(w)).toEqual(first.get(w)!);
    expect(second.get("read")).toEqual({ DEFAULT: "ɹˈid", VBD: "ɹˈɛd" });
    // the source changes: a new file, the old one removed, the new answer served
    await writeFile(join(src, "us_gold.json"), JSON.stringify({ tomato: "təmˈAtO" }));
    const third = await loadLexicon("us", src, false, data);
    expect(third.get("tomato")).toBe("təmˈAtO");
    const now = await readdir(join(data, "lexicons"));
    expect(now).toHaveLength(1);
    expect(now).not.toEqual(files);
    // a damaged cache file is rebuilt, not trusted
    await writeFile(join(data, "lexicons", now[0]!), "garbage");
    expect((await loadLexicon("us", src, false, data)).get("tomato")).toBe("təmˈAtO");
  }, 60_000);
});
