/** GET /openapi.json is a valid OpenAPI 3.1 document that matches the routes; GET /docs renders it without any CDN. */
import { beforeAll, describe, expect, test } from "bun:test";
import SwaggerParser from "@apidevtools/swagger-parser";
import Ajv2020 from "ajv/dist/2020";
import type { Stack } from "../../stack";
import { supportedFormats } from "../src/encoders";
import { OPENAI_VOICES } from "../src/speech/request";
import { sharedStack } from "./api.stack";

let s: Stack;
let doc: any;
beforeAll(async () => {
  s = await sharedStack();
  const res = await fetch(`${s.url}/openapi.json`);
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toContain("application/json");
  doc = await res.json();
});

describe("GET /openapi.json", () => {
  test("is valid OpenAPI 3.1 per swagger-parser (schemas and $refs resolve)", async () => {
    expect(doc.openapi).toBe("3.1.0");
    const api = (await SwaggerParser.validate(structuredClone(doc))) as any;
    expect(api.info.title).toBe("kokoro-edge");
    const deref = (await SwaggerParser.dereference(structuredClone(doc))) as any;
    const speech = deref.paths["/v1/audio/speech"].post.requestBody.content["application/json"].schema;
    expect(speech.properties.model.enum).toEqual(["kokoro", "tts-1", "tts-1-hd", "gpt-4o-mini-tts"]);
  });

  test("documents every route the app serves, and each documented route exists", async () => {
    const { createApp } = await import("../src/app");
    const { GatewayMetrics } = await import("../src/metrics");
    const { configSchema } = await import("../src/config");
    const { loadConfig, createLogger } = await import("@kokoro-edge/runtime");
    const app = createApp({
      bus: s.bus,
      config: loadConfig(configSchema, {}),
      log: createLogger("t"),
      metrics: new GatewayMetrics(),
      synth: (await import("../src/pipeline/stream-options")).synthStreamOptions(
        loadConfig(configSchema, {}),
      ),
    });
    const served = new Set(
      app.routes
        .filter((r) => r.method !== "ALL")
        .map((r) => `${r.method.toLowerCase()} ${r.path.replace(/:(\w+)/g, "{$1}")}`),
    );
    const documented = new Set(
      Object.entries<any>(doc.paths).flatMap(([path, item]) => Object.keys(item).map((m) => `${m} ${path}`)),
    );
    expect([...served].filter((r) => !documented.has(r)).sort()).toEqual([]);
    expect([...documented].filter((r) => !served.has(r)).sort()).toEqual([]);
    const expected = [
      "/v1/audio/speech",
      "/v1/audio/phonemize",
      "/v1/audio/subtitles",
      "/v1/voices",
      "/v1/models",
      "/v1/models/{id}",
      "/v1/jobs",
      "/v1/jobs/{id}",
      "/v1/jobs/{id}/audio",
      "/v1/jobs/{id}/subtitles",
      "/v1/jobs/{id}/events",
      "/healthz",
      "/readyz",
      "/metrics",
      "/openapi.json",
      "/asyncapi.json",
      "/v1/speak",
      "/v1/text-to-speech/{voice_id}/stream-input",
      "/docs",
      "/",
      "/studio",
      "/studio/",
      "/studio/app.js",
      "/studio/app.css",
      "/v1/subtitles/parse",
      "/v1/projects",
      "/v1/projects/{id}",
      "/admin/keys",
      "/admin/keys/{ref}",
    ];
    expect(Object.keys(doc.paths).sort()).toEqual([...expected].sort());
    for (const [path, item] of Object.entries<any>(doc.paths)) {
      for (const method of Object.keys(item)) {
        const url =
          s.url +
          path
            .replace(
              "{id}",
              path.startsWith("/v1/jobs") || path.startsWith("/v1/projects") ? "no-such-job" : "kokoro",
            )
            .replace("{ref}", "x")
            .replace("{voice_id}", "af_heart");
        const res = await fetch(url, {
          method: method.toUpperCase(),
          headers: { "content-type": "application/json" },
          body: method === "get" ? undefined : "{}",
        });
        const code = res.status === 404 ? (await res.json()).error.code : "found";
        // A 404 from the route itself (disabled, or no such job) shows the route exists; only the app's not_found means it does not.
        expect({ path, method, code }).not.toEqual({ path, method, code: "not_found" });
        if (!res.bodyUsed) await res.body?.cancel();
      }
    }
  });

  test("/asyncapi.json describes both realtime sockets with the messages their handlers take and send", async () => {
    const a = await (await fetch(`${s.url}/asyncapi.json`)).json();
    expect(a.asyncapi).toBe("2.6.0");
    expect(Object.keys(a.channels).sort()).toEqual([
      "/v1/speak",
      "/v1/text-to-speech/{voice_id}/stream-input",
    ]);
    const names = (ch: string, dir: string) =>
      a.channels[ch][dir].message.oneOf.map((m: { name: string }) => m.name);
    expect(names("/v1/speak", "publish")).toEqual(["Speak", "Flush", "Clear", "Close"]);
    expect(names("/v1/speak", "subscribe")).toEqual([
      "Audio",
      "Metadata",
      "Flushed",
      "Cleared",
      "Warning",
      "Error",
      "Timestamps",
    ]);
    expect(a.channels["/v1/speak"].bindings.ws.query.properties.encoding.enum).toEqual([
      "linear16",
      "mulaw",
      "alaw",
    ]);
    expect(names("/v1/text-to-speech/{voice_id}/stream-input", "subscribe")).toEqual([
      "AudioOutput",
      "FinalOutput",
      "Error",
    ]);
  });

  test("the speech request is generated from the zod schema: fields, defaults, limits, formats and voice mapping", () => {
    const req = doc.components.schemas.SpeechRequest;
    expect(req.required.sort()).toEqual(["input", "model", "voice"]);
    expect(req.properties.response_format.enum).toEqual(["mp3", "opus", "aac", "flac", "wav", "pcm"]);
    expect(req.properties.response_format.default).toBe("mp3");
    expect(req.properties.response_format.description).toContain(supportedFormats().join(", "));
    expect(req.properties.speed).toMatchObject({ minimum: 0.25, maximum: 4, default: 1 });
    expect(req.properties.stream_format.enum).toEqual(["audio", "sse"]);
    for (const [name, voice] of Object.entries(OPENAI_VOICES))
      expect(req.properties.voice.description).toContain(`${name} → ${voice}`);
    const ok = doc.paths["/v1/audio/speech"].post.responses["200"];
    expect(Object.keys(ok.content)).toEqual(
      expect.arrayContaining([
        "audio/mpeg",
        "audio/wav",
        "audio/pcm",
        "audio/flac",
        "audio/ogg",
        "text/event-stream",
      ]),
    );
    expect(Object.keys(ok.headers)).toEqual(
      expect.arrayContaining(["x-request-id", "x-kokoro-engine", "x-kokoro-model-version", "x-kokoro-voice"]),
    );
    expect(doc.paths["/v1/audio/speech"].post.responses["429"].headers["Retry-After"]).toBeDefined();
  });

  test("real responses match the documented response schemas", async () => {
    const deref = (await SwaggerParser.dereference(structuredClone(doc))) as any;
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    const check = (schema: any, value: any, at: string) => {
      const validate = ajv.compile(schema);
      expect({ at, errors: validate(value) ? null : validate.errors }).toEqual({ at, errors: null });
    };
    const schemaOf = (path: string, method: string, code: string) =>
      deref.paths[path][method].responses[code].content["application/json"].schema;
    check(schemaOf("/v1/voices", "get", "200"), await (await fetch(`${s.url}/v1/voices`)).json(), "voices");
    check(schemaOf("/v1/models", "get", "200"), await (await fetch(`${s.url}/v1/models`)).json(), "models");
    const ph = await fetch(`${s.url}/v1/audio/phonemize`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ input: "Hi there, 7 cats.", voice: "af_heart" }),
    });
    check(schemaOf("/v1/audio/phonemize", "post", "200"), await ph.json(), "phonemize");
    const bad = await fetch(`${s.url}/v1/audio/phonemize`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    check(schemaOf("/v1/audio/phonemize", "post", "400"), await bad.json(), "error");
    // And a wrong one is caught (the check can fail).
    const validate = ajv.compile(schemaOf("/v1/models", "get", "200"));
    expect(validate({ object: "list", data: [{ id: 1 }] })).toBe(false);
  });
});

describe("GET /docs", () => {
  test("a self-contained page: no external scripts, styles or fonts", async () => {
    const res = await fetch(`${s.url}/docs`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/html");
    const html = await res.text();
    expect(html).toContain("/openapi.json");
    expect(html).not.toMatch(/<script[^>]+src=/i);
    expect(html).not.toMatch(/<link[^>]+href=/i);
    expect(html).not.toMatch(/https?:\/\//i);
    expect(res.headers.get("content-security-policy")).toContain("default-src 'self'");
  });
});
