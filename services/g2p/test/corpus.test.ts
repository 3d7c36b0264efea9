/** Every case of the hand-written corpus (corpus/en.txt), category by category. */
import { describe, expect, test } from "bun:test";
import { loadCorpus, runCase } from "../corpus/corpus";
import { resources } from "./shared";

const cases = loadCorpus();

test("the corpus has at least 300 cases across every category", () => {
  expect(cases.length).toBeGreaterThanOrEqual(300);
  expect(new Set(cases.map((c) => c.category)).size).toBeGreaterThanOrEqual(15);
});

describe("corpus", () => {
  const categories = [...new Set(cases.map((c) => c.category))];
  for (const cat of categories) {
    test(cat, async () => {
      const failures: string[] = [];
      for (const c of cases.filter((x) => x.category === cat)) {
        const o = await runCase(c, resources);
        if (!o.ok) failures.push(`line ${c.line}: ${JSON.stringify(c.input)}: ${o.problems.join("; ")}`);
      }
      expect(failures).toEqual([]);
    });
  }
});
