/**
 * Input a careless or hostile client sends (issue 20, finding 8), on a gateway
 * whose database is the real Postgres: each is a 4xx with a clear message, and
 * no body, a 500's included, carries internals (SQL, parameters, key ids, zod
 * dumps, file paths).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Hono } from "hono";
import { createLogger, loadConfig, openDatabase, type Database } from "@kokoro-edge/runtime";
import { TEST_DATABASE_URL, havePostgres } from "@kokoro-edge/runtime/src/testing/services";
import { configSchema } from "../src/config";
import { errorResponse } from "../src/errors";
import { startGateway, type GatewayService } from "../src";
import { dataDir, json, sharedStack } from "./api.stack";

const ADMIN = "hostile-input-admin-token-0123";
const LEAKS = [
  /select\s/i,
  /insert\s/i,
  /\bparams?\b:/i,
  /\/work\//,
  /node_modules/,
  /ZodError/,
  /"code":\s*"invalid_type"/,
  /\$\d/,
];

function noLeak(body: string) {
  for (const re of LEAKS) expect({ body, leak: re.test(body) }).toEqual({ body, leak: false });
}

test("a 500's body is a plain sentence with the request id; what went wrong stays in the log", async () => {
  const app = new Hono();
  app.use("*", async (c, next) => {
    c.set("requestId" as never, "req-123" as never);
    await next();
  });
  app.get("/boom", () => {
    throw new Error('Failed query: select * from "api_keys" where "key_hash" = $1\nparams: 3f2a');
  });
  app.onError((err, c) => errorResponse(c, err));
  const res = await app.request("/boom");
  expect(res.status).toBe(500);
  const body = await res.text();
  noLeak(body);
  expect(JSON.parse(body).error).toMatchObject({
    code: "internal_error",
    type: "server_error",
    message: expect.stringContaining("req-123"),
  });
});

((await havePostgres()) ? describe : describe.skip)("hostile input on Postgres", () => {
  let db: Database;
  let gw: GatewayService;
  beforeAll(async () => {
    const s = await sharedStack();
    db = await openDatabase({ databaseUrl: TEST_DATABASE_URL, dataDir });
    gw = await startGateway({
      bus: s.bus,
      db,
      log: createLogger("hostile-test"),
      config: loadConfig(configSchema, {
        PORT: "0",
        HOST: "127.0.0.1",
        LOG_LEVEL: "error",
        API_KEYS_REQUIRED: "false",
        ADMIN_TOKEN: ADMIN,
        RATE_LIMIT_RPM: "0",
        MAX_STREAMS_PER_KEY: "0",
        JOB_CONCURRENCY: "0",
      }),
    });
  });
  afterAll(async () => {
    await gw?.stop();
    await db?.close();
  });

  const expect4xx = async (res: Response, code?: string) => {
    const body = await res.text();
    expect({ status: res.status, body }).toMatchObject({ status: expect.any(Number) });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    noLeak(body);
    if (code) expect(JSON.parse(body).error.code).toBe(code);
    return JSON.parse(body).error as { message: string; param: string | null };
  };
  // raw JSON text, so lone surrogates arrive as the escapes a client would send
  const raw = (path: string, body: string, headers: Record<string, string> = {}) =>
    fetch(`${gw.url}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body,
    });

  test("NUL characters and unpaired surrogates in text are 400s naming the field", async () => {
    const e1 = await expect4xx(await raw("/v1/jobs", '{"input":"tiny\\u0000job"}'), "invalid_text");
    expect(e1.message).toContain("input");
    expect(e1.message).toContain("NUL");
    const e2 = await expect4xx(await raw("/v1/jobs", '{"input":"tiny \\ud800 job"}'), "invalid_text");
    expect(e2.message).toContain("surrogate");
    await expect4xx(
      await raw("/v1/jobs", '{"input":"ok","speakers":{"A\\udc00":"af_heart"}}'),
      "invalid_text",
    );
    await expect4xx(
      await raw("/v1/audio/speech", '{"model":"kokoro","input":"a\\u0000b","voice":"af_heart"}'),
      "invalid_text",
    );
    await expect4xx(
      await raw("/admin/keys", '{"name":"bad\\u0000name"}', { authorization: `Bearer ${ADMIN}` }),
      "invalid_text",
    );
    await expect4xx(
      await raw("/admin/keys", '{"name":"bad\\udfffname"}', { authorization: `Bearer ${ADMIN}` }),
      "invalid_text",
    );
  });

  test("odd job ids and key references are 404s that never reach the database", async () => {
    for (const id of ["%00", "%ED%A0%80", "job_%00", "x".repeat(3000), "job_' or 1=1 --", "%F0%9F%98%80"]) {
      await expect4xx(await fetch(`${gw.url}/v1/jobs/${id}`), "job_not_found");
      await expect4xx(await fetch(`${gw.url}/v1/jobs/${id}/events`), "job_not_found");
    }
    for (const ref of ["%00", "ke_%00", "%ED%A0%80"])
      await expect4xx(
        await fetch(`${gw.url}/admin/keys/${ref}`, {
          method: "DELETE",
          headers: { authorization: `Bearer ${ADMIN}` },
        }),
      );
  });

  test('a language named like an object property ("__proto__") is a 400', async () => {
    for (const language of ["__proto__", "constructor", "toString"]) {
      const e = await expect4xx(await json(`${gw.url}/v1/audio/phonemize`, { input: "Hello.", language }));
      expect(e.param).toBe("language");
    }
  });

  test("a word followed by 600 commas is spoken, not a 500", async () => {
    const res = await json(`${gw.url}/v1/audio/speech`, {
      model: "kokoro",
      input: `word${",".repeat(600)}`,
      voice: "af_heart",
      response_format: "pcm",
    });
    expect(res.status).toBe(200);
    expect((await res.arrayBuffer()).byteLength).toBeGreaterThan(0);
    const ph = await json(`${gw.url}/v1/audio/phonemize`, { input: `word${",".repeat(600)} and on` });
    expect(ph.status).toBe(200);
  });
});
