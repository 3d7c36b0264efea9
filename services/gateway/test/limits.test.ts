/** Per-caller request rate (token bucket) and concurrent-stream cap: 429 with Retry-After, under concurrent load. */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Stack } from "../../stack";
import { createKey } from "../src/auth/keys";
import { RateLimiter, StreamSlots } from "../src/limits/token-bucket";
import type { GatewayService } from "../src";
import { extraGateway, json, sharedStack } from "./api.stack";

describe("token bucket", () => {
  test("a burst of rpm, then one request per 60/rpm seconds, with the wait in Retry-After", () => {
    const l = new RateLimiter();
    let t = 1_000_000;
    for (let i = 0; i < 60; i++) expect(l.take("a", 60, t).ok).toBe(true);
    const denied = l.take("a", 60, t);
    expect(denied).toEqual({ ok: false, remaining: 0, retryAfterS: 1 });
    expect(l.take("b", 60, t).ok).toBe(true); // callers do not share buckets
    t += 1_000;
    expect(l.take("a", 60, t).ok).toBe(true);
    expect(l.take("a", 60, t).ok).toBe(false);
    expect(l.take("slow", 2, t).ok).toBe(true);
    expect(l.take("slow", 2, t).ok).toBe(true);
    expect(l.take("slow", 2, t).retryAfterS).toBe(30);
    expect(l.take("slow", 2, t + 29_000).ok).toBe(false);
    expect(l.take("slow", 2, t + 30_000).ok).toBe(true);
    for (let i = 0; i < 1000; i++) expect(l.take("free", 0, t).ok).toBe(true); // 0 = unlimited
  });

  test("a caller's limit can change; idle full buckets are swept", () => {
    const l = new RateLimiter(3);
    expect(l.take("a", 1, 0).ok).toBe(true);
    expect(l.take("a", 1, 0).ok).toBe(false);
    expect(l.take("a", 10, 0).ok).toBe(false); // raised limit: the spent token is not refunded
    expect(l.take("a", 10, 6_000).ok).toBe(true);
    l.take("b", 10, 0);
    l.take("c", 10, 0);
    expect(l.size).toBe(3);
    l.take("d", 10, 600_000); // a full map sweeps buckets that have refilled
    expect(l.size).toBe(1);
  });

  test("stream slots: at most max per caller, each released once", () => {
    const s = new StreamSlots();
    const a = s.acquire("k", 2)!;
    const b = s.acquire("k", 2)!;
    expect(s.acquire("k", 2)).toBeUndefined();
    expect(s.acquire("other", 2)).toBeDefined();
    a();
    a();
    expect(s.active("k")).toBe(1);
    expect(s.acquire("k", 2)).toBeDefined();
    b();
    expect(s.acquire("z", 0)).toBeDefined(); // 0 = unlimited
  });
});

describe("limits on a running gateway", () => {
  let s: Stack;
  let open: GatewayService;
  let keyed: GatewayService;
  beforeAll(async () => {
    s = await sharedStack();
    open = await extraGateway({ API_KEYS_REQUIRED: "false", RATE_LIMIT_RPM: "5", MAX_STREAMS_PER_KEY: "2" });
    keyed = await extraGateway({ API_KEYS_REQUIRED: "true", RATE_LIMIT_RPM: "5", MAX_STREAMS_PER_KEY: "2" });
  });
  afterAll(async () => {
    await open?.stop();
    await keyed?.stop();
  });

  const LONG = "Streams hold their slot until the last byte is sent or the client leaves. ".repeat(40);
  const startSpeech = (url: string, headers: Record<string, string> = {}) =>
    json(
      `${url}/v1/audio/speech`,
      { model: "kokoro", input: LONG, voice: "af_heart", response_format: "pcm" },
      headers,
    );

  test("open mode: the client IP gets RATE_LIMIT_RPM requests at once, then 429 with Retry-After", async () => {
    const res = await Promise.all(Array.from({ length: 12 }, () => fetch(`${open.url}/v1/models`)));
    const ok = res.filter((r) => r.status === 200);
    const limited = res.filter((r) => r.status === 429);
    expect(ok.length).toBe(5);
    expect(limited.length).toBe(7);
    expect(ok[0]!.headers.get("x-ratelimit-limit-requests")).toBe("5");
    for (const r of limited) {
      expect(Number(r.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
      const err = (await r.json()).error;
      expect(err.code).toBe("rate_limit_exceeded");
      expect(err.type).toBe("rate_limit_error");
    }
    // Not counted: health and docs.
    expect((await fetch(`${open.url}/healthz`)).status).toBe(200);
  });

  test("per key: each key has its own bucket, and the table's override wins", async () => {
    const slow = await createKey(s.db.db, { name: "slow", rateLimitPerMinute: 2 });
    const normal = await createKey(s.db.db, { name: "normal" });
    const free = await createKey(s.db.db, { name: "free", rateLimitPerMinute: 0 });
    const burst = (key: string, n: number) =>
      Promise.all(
        Array.from({ length: n }, () =>
          fetch(`${keyed.url}/v1/models`, { headers: { authorization: `Bearer ${key}` } }),
        ),
      );
    const [a, b, c] = await Promise.all([burst(slow.key, 6), burst(normal.key, 8), burst(free.key, 30)]);
    expect(a.filter((r) => r.status === 200).length).toBe(2);
    expect(b.filter((r) => r.status === 200).length).toBe(5);
    expect(c.every((r) => r.status === 200)).toBe(true);
    const denied = a.find((r) => r.status === 429)!;
    expect(Number(denied.headers.get("retry-after"))).toBeGreaterThanOrEqual(25); // 1 token per 30 s
    expect((await denied.json()).error.message).toContain("'slow'");
  });

  test("concurrent streams: MAX_STREAMS_PER_KEY at once, the rest 429; a slot frees when a stream ends or is cancelled", async () => {
    const key = await createKey(s.db.db, { name: "streams", rateLimitPerMinute: 0 });
    const one = await createKey(s.db.db, { name: "one stream", rateLimitPerMinute: 0, maxStreams: 1 });
    const auth = (k: string) => ({ authorization: `Bearer ${k}` });

    const first = await Promise.all(Array.from({ length: 6 }, () => startSpeech(keyed.url, auth(key.key))));
    const ok = first.filter((r) => r.status === 200);
    const limited = first.filter((r) => r.status === 429);
    expect(ok.length).toBe(2);
    expect(limited.length).toBe(4);
    for (const r of limited) {
      expect(r.headers.get("retry-after")).toBe("1");
      expect((await r.json()).error.code).toBe("too_many_streams");
    }
    // Another key is not affected; its own override (1) applies.
    const [o1, o2] = await Promise.all([
      startSpeech(keyed.url, auth(one.key)),
      startSpeech(keyed.url, auth(one.key)),
    ]);
    expect([o1.status, o2.status].sort()).toEqual([200, 429]);
    await (o1.status === 200 ? o1 : o2).body!.cancel();
    await (o1.status === 200 ? o2 : o1).text();

    // The streams are live: read a little of each.
    for (const r of ok) expect((await lockedReader(r).read()).value!.length).toBeGreaterThan(0);
    expect((await startSpeech(keyed.url, auth(key.key))).status).toBe(429);

    // One finishes (read to the end), the other is cancelled: both slots come back.
    await Promise.all([drain(ok[0]!), cancelLocked(ok[1]!)]);
    const again = await Promise.all([
      startSpeech(keyed.url, auth(key.key)),
      startSpeech(keyed.url, auth(key.key)),
    ]);
    expect(again.map((r) => r.status)).toEqual([200, 200]);
    await Promise.all(again.map((r) => r.body!.cancel()));

    // Failed requests (4xx before streaming) do not hold slots.
    for (let i = 0; i < 5; i++) {
      const bad = await json(
        `${keyed.url}/v1/audio/speech`,
        { model: "kokoro", input: "x", voice: "zz_nobody" },
        auth(key.key),
      );
      expect(bad.status).toBe(400);
    }
    await Bun.sleep(50);
    const last = await Promise.all([
      startSpeech(keyed.url, auth(key.key)),
      startSpeech(keyed.url, auth(key.key)),
    ]);
    expect(last.map((r) => r.status)).toEqual([200, 200]);
    await Promise.all(last.map((r) => r.body!.cancel()));
  }, 60_000);

  test("open mode: streams are capped per client IP too", async () => {
    const res = await Promise.all(Array.from({ length: 3 }, () => startSpeech(open.url)));
    // The bucket (5 rpm) may already be spent by the test above: either limit is a 429, never a 5xx.
    for (const r of res) expect([200, 429]).toContain(r.status);
    expect(res.filter((r) => r.status === 200).length).toBeLessThanOrEqual(2);
    await Promise.all(res.map((r) => r.body?.cancel()));
  });
});

/** Read a response whose reader is already locked to the end. */
const readers = new WeakMap<Response, ReadableStreamDefaultReader<Uint8Array>>();
async function drain(r: Response) {
  const reader = lockedReader(r);
  for (;;) if ((await reader.read()).done) return;
}
async function cancelLocked(r: Response) {
  await lockedReader(r).cancel();
}
function lockedReader(r: Response) {
  let reader = readers.get(r);
  if (!reader) {
    reader = r.body!.getReader();
    readers.set(r, reader);
  }
  return reader;
}
