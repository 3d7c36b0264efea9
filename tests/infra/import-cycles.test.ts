import { describe, expect, test } from "bun:test";
import { importCycles, importGraph } from "../../scripts/import-cycles";

describe("module structure", () => {
  test("no module imports itself through others (type-only imports count)", () => {
    const graph = importGraph();
    // the scan sees the repository (a broken scan would find no cycle trivially)
    expect(graph.size).toBeGreaterThan(300);
    expect([...graph.values()].reduce((n, d) => n + d.length, 0)).toBeGreaterThan(1000);
    expect(importCycles(graph)).toEqual([]);
  });

  test("the scan finds a cycle when there is one", () => {
    const g = new Map([
      ["/r/a.ts", ["/r/b.ts"]],
      ["/r/b.ts", ["/r/c.ts"]],
      ["/r/c.ts", ["/r/a.ts"]],
      ["/r/d.ts", ["/r/a.ts"]],
    ]);
    expect(importCycles(g).map((c) => c.length)).toEqual([3]);
  });
});
