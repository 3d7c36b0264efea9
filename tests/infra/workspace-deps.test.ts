import { expect, test } from "bun:test";
import { missingDependencies, packageName, workspaces } from "../../scripts/workspace-deps";

test("every workspace declares the packages it imports in its own package.json", () => {
  expect(workspaces().length).toBeGreaterThanOrEqual(7);
  expect(missingDependencies()).toEqual([]);
});

test("package names are read as npm resolves them; built-ins are not packages", () => {
  expect(packageName("@opentelemetry/api/build/x")).toBe("@opentelemetry/api");
  expect(packageName("hono/bun")).toBe("hono");
  expect(packageName("node:fs")).toBeUndefined();
  expect(packageName("fs")).toBeUndefined();
  expect(packageName("bun:test")).toBeUndefined();
});
