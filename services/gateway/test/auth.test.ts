/** API keys: hashed storage, Bearer auth (missing, wrong, revoked), admin routes, the CLI, open mode. */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { loadConfig, tables } from "@kokoro-edge/runtime";
import type { Stack } from "../../stack";
import { createKey, hashKey } from "../src/auth/keys";
import { AUTH_FAILURES_PER_MINUTE } from "../src/auth/middleware";
import { ADMIN_FAILURES_PER_MINUTE } from "../src/routes/admin";
import { runKeysCli } from "../src/cli/keys";
import { apiKeysRequired, configSchema } from "../src/config";
import type { GatewayService } from "../src";
import { dataDir, extraGateway, json, sharedStack } from "./api.stack";

const ADMIN = "admin-token-for-tests-0123456789";
let s: Stack;
let gw: GatewayService;

beforeAll(async () => {
  s = await sharedStack();
  gw = await extraGateway({
    API_KEYS_REQUIRED: "true",
    ADMIN_TOKEN: ADMIN,
    RATE_LIMIT_RPM: "0",
    MAX_STREAMS_PER_KEY: "0",
  });
});
afterAll(async () => {
  await gw?.stop();
});

const admin = (path: string, init: RequestInit = {}, token = ADMIN) =>
  fetch(`${gw.url}${path}`, {
    ...init,
    headers: {
      authorization: `Bearer ${token}`,
      "content-type": "application/json",
      ...(init.headers ?? {}),
    },
  });
const models = (headers: Record<string, string> = {}) => fetch(`${gw.url}/v1/models`, { headers });
const speech = (key: string) =>
  json(
    `${gw.url}/v1/audio/speech`,
    { model: "kokoro", input: "Keys.", voice: "af_heart", response_format: "pcm" },
    { authorization: `Bearer ${key}` },
  );

describe("when keys are required", () => {
  test("the default: required iff NATS_URL or DATABASE_URL is set, unless API_KEYS_REQUIRED says otherwise", () => {
    const req = (env: Record<string, string>) => apiKeysRequired(loadConfig(configSchema, env));
    expect(req({})).toBe(false);
    expect(req({ NATS_URL: "nats://x:4222" })).toBe(true);
    expect(req({ DATABASE_URL: "postgres://x/y" })).toBe(true);
    expect(req({ NATS_URL: "nats://x:4222", API_KEYS_REQUIRED: "false" })).toBe(false);
    expect(req({ API_KEYS_REQUIRED: "true" })).toBe(true);
  });

  test("missing, malformed and wrong keys are 401s in OpenAI's shape", async () => {
    const cases: [Record<string, string>, string][] = [
      [{}, "missing_api_key"],
      [{ authorization: "Basic dXNlcjpwYXNz" }, "invalid_authorization"],
      [{ authorization: "Bearer" }, "invalid_authorization"],
      [{ authorization: "Bearer ke_wrong" }, "invalid_api_key"],
      [{ authorization: `Bearer ${"k".repeat(5000)}` }, "invalid_api_key"],
    ];
    for (const [headers, code] of cases) {
      const res = await models(headers);
      expect(res.status).toBe(401);
      const err = (await res.json()).error;
      expect(err.code).toBe(code);
      expect(err.type).toBe("authentication_error");
    }
    const sp = await speech("ke_wrong");
    expect(sp.status).toBe(401);
    // Health, readiness, metrics and the docs stay public.
    for (const p of ["/healthz", "/readyz", "/metrics", "/openapi.json", "/docs"])
      expect((await fetch(`${gw.url}${p}`)).status).toBe(200);
  });

  test("a key made through /admin/keys works, is stored hashed, and stops working once revoked", async () => {
    const created = await admin("/admin/keys", {
      method: "POST",
      body: JSON.stringify({ name: "app one", rate_limit_per_minute: 100 }),
    });
    expect(created.status).toBe(201);
    const k = await created.json();
    expect(k.key).toMatch(/^ke_[A-Za-z0-9_-]{43}$/);
    expect(k.key.startsWith(k.prefix)).toBe(true);
    expect(k.rate_limit_per_minute).toBe(100);

    const [row] = await s.db.db.select().from(tables.apiKeys).where(eq(tables.apiKeys.id, k.id));
    expect(row!.keyHash).toBe(hashKey(k.key));
    expect(JSON.stringify(row)).not.toContain(k.key);

    expect((await models({ authorization: `Bearer ${k.key}` })).status).toBe(200);
    expect((await models({ "x-api-key": k.key })).status).toBe(200);
    const sp = await speech(k.key);
    expect(sp.status).toBe(200);
    expect((await sp.arrayBuffer()).byteLength).toBeGreaterThan(1000);

    const list = await (await admin("/admin/keys")).json();
    const listed = list.data.find((x: { id: string }) => x.id === k.id);
    expect(listed.name).toBe("app one");
    expect(listed.key).toBeUndefined();
    expect(JSON.stringify(list)).not.toContain(k.key);

    const revoked = await admin(`/admin/keys/${k.id}`, { method: "DELETE" });
    expect(revoked.status).toBe(200);
    expect((await revoked.json()).revoked_at).toBeTruthy();
    const after = await models({ authorization: `Bearer ${k.key}` });
    expect(after.status).toBe(401); // at once: revocation clears the lookup cache
    expect((await after.json()).error.code).toBe("invalid_api_key");
    expect((await speech(k.key)).status).toBe(401);

    const live = await (await admin("/admin/keys")).json();
    expect(live.data.some((x: { id: string }) => x.id === k.id)).toBe(false);
    const all = await (await admin("/admin/keys?include_revoked=true")).json();
    expect(all.data.some((x: { id: string }) => x.id === k.id)).toBe(true);
  });

  test("speech usage is attributed to the key", async () => {
    const k = await (
      await admin("/admin/keys", { method: "POST", body: JSON.stringify({ name: "usage" }) })
    ).json();
    const res = await json(
      `${gw.url}/v1/audio/speech`,
      { model: "kokoro", input: "Count me.", voice: "af_heart", response_format: "pcm" },
      { authorization: `Bearer ${k.key}` },
    );
    await res.arrayBuffer();
    const id = res.headers.get("x-request-id")!;
    await Bun.sleep(20);
    await gw.flushUsage();
    const [row] = await s.db.db.select().from(tables.speechRequests).where(eq(tables.speechRequests.id, id));
    expect(row!.apiKeyId).toBe(k.id);
  });

  test("the CLI creates, lists and revokes keys in the same database", async () => {
    const out: string[] = [];
    const env = { DATA_DIR: dataDir, LOG_LEVEL: "error" };
    expect(
      await runKeysCli(["create", "--name", "from cli", "--max-streams", "3", "--json"], env, (l) =>
        out.push(l),
      ),
    ).toBe(0);
    const k = JSON.parse(out.pop()!);
    expect(k.max_streams).toBe(3);
    expect((await models({ authorization: `Bearer ${k.key}` })).status).toBe(200);

    expect(await runKeysCli(["list"], env, (l) => out.push(l))).toBe(0);
    const listing = out.pop()!;
    expect(listing).toContain(k.prefix);
    expect(listing).toContain("from cli");
    expect(listing).not.toContain(k.key);

    expect(await runKeysCli(["revoke", k.prefix], env, (l) => out.push(l))).toBe(0);
    expect(out.pop()).toContain("revoked");
    const [row] = await s.db.db.select().from(tables.apiKeys).where(eq(tables.apiKeys.id, k.id));
    expect(row!.revokedAt).toBeInstanceOf(Date);
    // Another process revoking: this gateway trusts its cached lookup for at most a few seconds.
    const deadline = Date.now() + 8_000;
    let status = 200;
    while (Date.now() < deadline && status === 200) {
      status = (await models({ authorization: `Bearer ${k.key}` })).status;
      if (status === 200) await Bun.sleep(250);
    }
    expect(status).toBe(401);

    await expect(runKeysCli(["revoke", "ke_doesnotexist"], env, () => {})).rejects.toThrow(/no API key/);
    await expect(runKeysCli(["create"], env, () => {})).rejects.toThrow(/--name/);
    await expect(runKeysCli(["create", "--name", "x", "--rpm", "-3"], env, () => {})).rejects.toThrow(
      /--rpm/,
    );
    await expect(runKeysCli(["frobnicate"], env, () => {})).rejects.toThrow(/unknown command/);
  }, 30_000);
});

describe("guessing keys", () => {
  test("an address that keeps sending wrong keys gets 429s for them; a valid key always passes, even one never seen before", async () => {
    const g = await extraGateway({ API_KEYS_REQUIRED: "true", RATE_LIMIT_RPM: "0" });
    try {
      const good = await createKey(s.db.db, { name: "good neighbour" });
      const get = (k: string) => fetch(`${g.url}/v1/models`, { headers: { authorization: `Bearer ${k}` } });
      expect((await get(good.key)).status).toBe(200);
      const statuses: number[] = [];
      for (let i = 0; i < AUTH_FAILURES_PER_MINUTE + 5; i++)
        statuses.push((await get(`ke_guess_${i}`)).status);
      expect(statuses.slice(0, AUTH_FAILURES_PER_MINUTE).every((x) => x === 401)).toBe(true);
      expect(statuses.slice(AUTH_FAILURES_PER_MINUTE).every((x) => x === 429)).toBe(true);
      const blocked = await get("ke_guess_again");
      expect((await blocked.json()).error.code).toBe("too_many_auth_failures");
      expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
      expect((await get(good.key)).status).toBe(200);
      // A key this gateway never looked up (not in its cache), from the same address: behind a
      // proxy every client shares one, so a guesser must not lock the others out.
      const fresh = await createKey(s.db.db, { name: "behind the same proxy" });
      for (let i = 0; i < 5; i++) expect((await get(`ke_guess_more_${i}`)).status).toBe(429);
      expect((await get(fresh.key)).status).toBe(200);
    } finally {
      await g.stop();
    }
  });

  test("wrong admin tokens are throttled: past the budget a client gets 429 without its token being compared", async () => {
    const admin = "admin-token-for-the-throttle-test";
    const g = await extraGateway({ API_KEYS_REQUIRED: "true", RATE_LIMIT_RPM: "0", ADMIN_TOKEN: admin });
    try {
      const get = (t: string) => fetch(`${g.url}/admin/keys`, { headers: { authorization: `Bearer ${t}` } });
      expect((await get(admin)).status).toBe(200);
      const statuses: number[] = [];
      for (let i = 0; i < 60; i++) statuses.push((await get(`wrong-admin-token-${i}`)).status);
      expect(statuses.slice(0, ADMIN_FAILURES_PER_MINUTE).every((x) => x === 403)).toBe(true);
      expect(statuses.slice(ADMIN_FAILURES_PER_MINUTE).every((x) => x === 429)).toBe(true);
      const blocked = await get(admin); // even the right one waits: a guess must learn nothing
      expect(blocked.status).toBe(429);
      expect((await blocked.json()).error.code).toBe("too_many_admin_failures");
      expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    } finally {
      await g.stop();
    }
  });
});

describe("the keys CLI as a program", () => {
  test("bun services/gateway/src/cli/keys.ts create | list | revoke, on its own database", async () => {
    const { mkdtempSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const env = {
      ...process.env,
      DATA_DIR: mkdtempSync(join(tmpdir(), "ke-keys-cli-")),
      DATABASE_URL: "",
      LOG_LEVEL: "error",
    };
    const cli = join(import.meta.dir, "..", "src", "cli", "keys.ts");
    const run = async (...args: string[]) => {
      const p = Bun.spawn([process.execPath, cli, ...args], { env, stdout: "pipe", stderr: "pipe" });
      const [out, err, code] = await Promise.all([
        new Response(p.stdout).text(),
        new Response(p.stderr).text(),
        p.exited,
      ]);
      return { out, err, code };
    };
    const created = await run("create", "--name", "ci", "--rpm", "10");
    expect(created.code).toBe(0);
    const key = /\b(ke_[A-Za-z0-9_-]{43})\b/.exec(created.out)![1]!;
    expect(created.out).toContain("only time the key is shown");
    const list = await run("list");
    expect(list.code).toBe(0);
    expect(list.out).toContain(key.slice(0, 11));
    expect(list.out).toContain("rpm=10");
    expect(list.out).not.toContain(key);
    const revoked = await run("revoke", key.slice(0, 11));
    expect(revoked.code).toBe(0);
    expect(revoked.out).toContain("revoked");
    expect((await run("list")).out.trim()).toBe("no API keys");
    const bad = await run("revoke", "ke_nothing");
    expect(bad.code).toBe(2);
    expect(bad.err).toContain("no API key");
    const usage = await run();
    expect(usage.code).toBe(2);
    expect(usage.out).toContain("usage:");
  }, 60_000);
});

describe("admin routes", () => {
  test("need the admin token: missing 401, wrong 403; bad bodies are 400s", async () => {
    const missing = await fetch(`${gw.url}/admin/keys`);
    expect(missing.status).toBe(401);
    expect((await missing.json()).error.code).toBe("missing_admin_token");
    const wrong = await admin("/admin/keys", {}, "not-the-admin-token-at-all");
    expect(wrong.status).toBe(403);
    expect((await wrong.json()).error.code).toBe("invalid_admin_token");
    // An API key is not an admin token.
    const k = await (
      await admin("/admin/keys", { method: "POST", body: JSON.stringify({ name: "not admin" }) })
    ).json();
    expect((await admin("/admin/keys", {}, k.key)).status).toBe(403);

    for (const body of [
      {},
      { name: "" },
      { name: "x", rate_limit_per_minute: -1 },
      { name: "x", max_streams: 1.5 },
    ]) {
      const res = await admin("/admin/keys", { method: "POST", body: JSON.stringify(body) });
      expect(res.status).toBe(400);
    }
    const unknown = await admin("/admin/keys/no-such-key", { method: "DELETE" });
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).error.code).toBe("key_not_found");
  });

  test("are off without ADMIN_TOKEN, with a clear 404", async () => {
    const res = await fetch(`${s.url}/admin/keys`, { headers: { authorization: `Bearer ${ADMIN}` } });
    expect(res.status).toBe(404);
    const err = (await res.json()).error;
    expect(err.code).toBe("admin_disabled");
    expect(err.message).toContain("ADMIN_TOKEN");
  });
});

describe("open mode (the embedded default)", () => {
  test("no key, or any token (SDKs always send one), is accepted", async () => {
    expect((await fetch(`${s.url}/v1/models`)).status).toBe(200);
    expect(
      (await fetch(`${s.url}/v1/models`, { headers: { authorization: "Bearer sk-not-needed" } })).status,
    ).toBe(200);
    expect(
      (await fetch(`${s.url}/v1/models`, { headers: { authorization: "Basic Zm9vOmJhcg==" } })).status,
    ).toBe(200);
  });

  test("a gateway that must check keys refuses to start without a database", async () => {
    const { startGateway } = await import("../src");
    const { createLogger } = await import("@kokoro-edge/runtime");
    const config = loadConfig(configSchema, { PORT: "0", HOST: "127.0.0.1", API_KEYS_REQUIRED: "true" });
    await expect(startGateway({ bus: s.bus, log: createLogger("t"), config })).rejects.toThrow(/no database/);
  });
});
