/**
 * Deepgram's own JS SDK (@deepgram/sdk 5) against /v1/speak, pointed at the
 * gateway with its `baseUrl` option (its speak.v1.connect joins "/v1/speak"
 * to it): Speak, Flush, audio and Flushed come through its event handlers,
 * with the key sent as Deepgram sends it ("Authorization: Token <key>").
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { DeepgramClient } from "@deepgram/sdk";
import { decodeTokens } from "@kokoro-edge/fixture-model";
import { createKey } from "../src/auth/keys";
import type { GatewayService } from "../src";
import { extraGateway, json, sharedStack } from "./api.stack";
import { int16, llmTokens, paced } from "./realtime.client";

const TEXT = "The official Deepgram client works with a changed base URL. It hears every word.";
const SPACE = 16;

let gw: GatewayService;
let key: string;
beforeAll(async () => {
  const s = await sharedStack();
  gw = await extraGateway({ API_KEYS_REQUIRED: "true", RATE_LIMIT_RPM: "0" });
  key = (await createKey(s.db.db, { name: "deepgram sdk" })).key;
});
afterAll(() => gw?.stop());

test("speak.v1.connect: Metadata, audio and Flushed; decoded tokens equal a one-shot request", async () => {
  const client = new DeepgramClient({ apiKey: key, baseUrl: gw.url.replace(/^http/, "ws") });
  const socket = await client.speak.v1.connect({
    model: "aura-2-thalia-en",
    encoding: "linear16",
    sample_rate: 24000,
    reconnectAttempts: 0,
  } as never);
  const audio: Promise<Buffer>[] = [];
  const types: string[] = [];
  const flushed = new Promise<void>((resolve, reject) => {
    socket.on("message", (m: unknown) => {
      // Audio frames reach the handler as the runtime's WebSocket gives them: a Blob under Bun.
      if (m instanceof Blob) {
        audio.push(m.arrayBuffer().then((b) => Buffer.from(b)));
        return;
      }
      if (typeof m === "object" && m !== null && "type" in m) {
        types.push(String((m as { type: string }).type));
        if ((m as { type: string }).type === "Flushed") resolve();
      } else if (m instanceof ArrayBuffer || ArrayBuffer.isView(m) || Buffer.isBuffer(m))
        audio.push(Promise.resolve(Buffer.from(m as ArrayBuffer)));
      else types.push(`other:${typeof m}:${(m as object)?.constructor?.name}`);
    });
    socket.on("error", (e: Error) => reject(e));
    setTimeout(() => reject(new Error(`no Flushed; got ${types.join(",")}`)), 20_000);
  });
  socket.connect();
  await socket.waitForOpen();
  await paced(llmTokens(TEXT), 30, (t) => socket.sendText({ type: "Speak", text: t }));
  socket.sendFlush({ type: "Flush" });
  await flushed;
  socket.close();
  expect(types[0]).toBe("Metadata");
  expect(types).toContain("Warning"); // the Aura name was mapped to a Kokoro voice, and said so
  const oneShot = await json(
    `${gw.url}/v1/audio/speech`,
    { model: "kokoro", voice: "af_bella", input: TEXT, response_format: "pcm" },
    { authorization: `Bearer ${key}` },
  );
  const want = decodeTokens(int16(Buffer.from(await oneShot.arrayBuffer()))).tokens.filter(
    (t) => t !== SPACE,
  );
  expect(
    decodeTokens(int16(Buffer.concat(await Promise.all(audio)))).tokens.filter((t) => t !== SPACE),
  ).toEqual(want);
});
