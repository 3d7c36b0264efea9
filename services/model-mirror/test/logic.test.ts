/** The pure parts: configuration parsing, globs, ranges, Retry-After, the breaker, SHA256SUMS. */
import { describe, expect, test } from "bun:test";
import { CircuitBreakers } from "../src/breaker";
import { parseDuration } from "../src/duration";
import { globToRegExp } from "../src/glob";
import { retryDelay } from "../src/service";
import { isSafeRepoPath, parseRepoSpecs, parseUpstreams } from "../src/specs";
import { parseSha256Sums } from "../src/upstream/folder";
import { parseRetryAfter } from "../src/upstream/http-util";
import { mirrorConfig } from "../src/config";

describe("configuration", () => {
  test("MIRROR_REPOS: repos, revisions and globs", () => {
    expect(
      parseRepoSpecs("onnx-community/Kokoro-82M-v1.0-ONNX@main:onnx/model.onnx;config.json;voices/*.bin"),
    ).toEqual([
      {
        repo: "onnx-community/Kokoro-82M-v1.0-ONNX",
        revision: "main",
        patterns: ["onnx/model.onnx", "config.json", "voices/*.bin"],
      },
    ]);
    expect(parseRepoSpecs(" a/b , c/d@v1.0:*.json ; x/** , e/f@" + "a".repeat(40))).toEqual([
      { repo: "a/b", revision: "main", patterns: ["**"] },
      { repo: "c/d", revision: "v1.0", patterns: ["*.json", "x/**"] },
      { repo: "e/f", revision: "a".repeat(40), patterns: ["**"] },
    ]);
    for (const bad of ["", "noslash", "a/b/c", "../x/y", "a/b@..", "a/b@-x", "a/b:../etc", "a/b:/abs"])
      expect(() => parseRepoSpecs(bad)).toThrow();
  });

  test("MIRROR_UPSTREAMS: ordered http(s) and file:// upstreams", () => {
    expect(parseUpstreams("https://huggingface.co/, file:///srv/models,http://peer:8081")).toEqual([
      { kind: "hf", url: "https://huggingface.co" },
      { kind: "folder", url: "file:///srv/models", dir: "/srv/models" },
      { kind: "hf", url: "http://peer:8081" },
    ]);
    expect(() => parseUpstreams("ftp://x")).toThrow(/only http/);
    expect(() => parseUpstreams("not a url")).toThrow(/not a URL/);
  });

  test("durations, and a bad value names the variable", () => {
    expect(parseDuration("1h")).toBe(3_600_000);
    expect(parseDuration("90s")).toBe(90_000);
    expect(parseDuration("30m")).toBe(1_800_000);
    expect(parseDuration("0")).toBe(0);
    expect(parseDuration("15")).toBe(15_000);
    expect(() => parseDuration("soon")).toThrow();
    const r = mirrorConfig.safeParse({ MIRROR_SYNC_INTERVAL: "soon" });
    expect(r.success).toBe(false);
    expect(JSON.stringify(r.error?.issues)).toContain("MIRROR_SYNC_INTERVAL");
    const ok = mirrorConfig.parse({ DATA_DIR: "/d" });
    expect(ok.MIRROR_DIR).toBe("/d/mirror");
    expect(ok.MIRROR_PORT).toBe(8081);
  });
});

describe("paths and globs", () => {
  test("globs: * within a segment, ** across", () => {
    expect(globToRegExp("voices/*.bin").test("voices/af_heart.bin")).toBe(true);
    expect(globToRegExp("voices/*.bin").test("voices/x/af.bin")).toBe(false);
    expect(globToRegExp("onnx/*.onnx").test("onnx/model.onnx")).toBe(true);
    expect(globToRegExp("onnx/*.onnx").test("onnx/model.onnx_data")).toBe(false);
    expect(globToRegExp("**").test("a/b/c")).toBe(true);
    expect(globToRegExp("**/*.json").test("config.json")).toBe(true);
    expect(globToRegExp("**/*.json").test("a/b/c.json")).toBe(true);
    expect(globToRegExp("model?.onnx").test("model1.onnx")).toBe(true);
    expect(globToRegExp("a.b").test("axb")).toBe(false);
  });

  test("safe repo paths", () => {
    for (const ok of ["config.json", "voices/af_heart.bin", "a/b/c.d"]) expect(isSafeRepoPath(ok)).toBe(true);
    for (const bad of ["", "/etc/passwd", "../x", "a/../b", "a//b", "a/./b", "a\\b", "a\0b", "x/"])
      expect(isSafeRepoPath(bad)).toBe(false);
  });

  test("SHA256SUMS as sha256sum writes it", () => {
    const h = "ab".repeat(32);
    const sums = parseSha256Sums(
      `${h}  config.json\n${h.toUpperCase()} *voices/a.bin\n${h}  ./x.txt\n${h}  ../evil\ngarbage\n`,
    );
    expect([...sums]).toEqual([
      ["config.json", h],
      ["voices/a.bin", h],
      ["x.txt", h],
    ]);
  });
});

describe("HTTP details", () => {
  test("Retry-After in seconds or as a date", () => {
    expect(parseRetryAfter("3")).toBe(3000);
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter("soon")).toBeUndefined();
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(parseRetryAfter("Thu, 01 Jan 2026 00:00:10 GMT", now)).toBe(10_000);
  });
});

describe("circuit breaker and retries", () => {
  test("opens after the threshold, lets one trial through after the cooldown, doubles on repeat", () => {
    let now = 0;
    const b = new CircuitBreakers({ threshold: 3, cooldownMs: 1000, now: () => now });
    expect(b.failure("u", "x")).toBe(false);
    expect(b.failure("u", "x")).toBe(false);
    expect(b.available("u")).toBe(true);
    expect(b.failure("u", "x")).toBe(true);
    expect(b.available("u")).toBe(false);
    now = 1000;
    expect(b.available("u")).toBe(true); // half-open
    expect(b.failure("u", "x")).toBe(true); // one more failure re-opens, for longer
    expect(b.waitMs("u")).toBe(2000);
    now = 3000;
    b.success("u");
    expect(b.available("u")).toBe(true);
    expect(b.failure("u", "x")).toBe(false);
  });

  test("Retry-After keeps an upstream out without opening its breaker", () => {
    let now = 0;
    const b = new CircuitBreakers({ threshold: 5, cooldownMs: 1000, now: () => now });
    b.failure("u", "429", 2500);
    expect(b.isOpen("u")).toBe(false);
    expect(b.waitMs("u")).toBe(2500);
    now = 2500;
    expect(b.available("u")).toBe(true);
  });

  test("failed syncs back off from 30 s to 10 min, never past the interval", () => {
    expect(retryDelay(1, 0)).toBe(30_000);
    expect(retryDelay(2, 0)).toBe(60_000);
    expect(retryDelay(20, 0)).toBe(600_000);
    expect(retryDelay(5, 120_000)).toBe(120_000);
  });
});
