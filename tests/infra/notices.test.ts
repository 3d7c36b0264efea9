import { expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { packageTable, shippedPackages, tableInNotices } from "../../scripts/third-party-notices";

const root = join(import.meta.dir, "..", "..");

test("the repository carries its licence and the notices of what it ships", () => {
  expect(readFileSync(join(root, "LICENSE"), "utf8")).toContain("Apache License");
  expect(JSON.parse(readFileSync(join(root, "package.json"), "utf8")).license).toBe("Apache-2.0");
  const notices = readFileSync(join(root, "THIRD_PARTY_NOTICES.md"), "utf8");
  for (const must of ["espeak-ng", "GPL-3.0", "LAME", "misaki", "Kokoro-82M", "CMU Pronouncing Dictionary"])
    expect(notices).toContain(must);
});

test("every npm package the product ships is listed with its licence (bun scripts/third-party-notices.ts --write)", () => {
  expect(shippedPackages().length).toBeGreaterThan(40);
  expect(tableInNotices()).toBe(packageTable());
});

test("no GPL code is loaded into our processes: espeak-ng only as a program", () => {
  const gpl = shippedPackages().filter((p) => /(^|[^L])GPL/.test(p.license));
  expect(gpl).toEqual([]);
  expect(existsSync(join(root, "node_modules", "phonemizer"))).toBe(false);
});
