import { describe, expect, test } from "bun:test";
import { decodeTokens } from "@kokoro-edge/fixture-model";
import { pcmFromRaw, pcmFromWav } from "../support/audio";

export interface StackUnderTest {
  url: string;
  /** The tokens g2p produces for this text, chunk after chunk (asked over the bus). */
  g2pTokens(text: string, voice: string): Promise<number[]>;
  /** Chunks inferred so far by all synth workers. */
  synthInferences(): Promise<number>;
}

const TEXT =
  "Kokoro streams speech as it is made. The first chunk is short, so audio starts quickly; later chunks are longer, and sound natural. " +
  "Numbers like 42 and 3.5 are read out, too!";

const post = (
  url: string,
  body: unknown,
  headers: Record<string, string> = { "content-type": "application/json" },
) =>
  fetch(`${url}/v1/audio/speech`, {
    method: "POST",
    headers,
    body: typeof body === "string" ? body : JSON.stringify(body),
  });

/** The same user-level scenarios, whichever way the platform is deployed. */
export function speechScenarios(name: string, getStack: () => StackUnderTest) {
  describe(`speech end to end (${name})`, () => {
    test("readyz says ready once a synth worker has its model", async () => {
      const res = await fetch(`${getStack().url}/readyz`);
      const body = await res.json();
      expect(res.status).toBe(200);
      expect(body.status).toBe("ready");
      expect(body.checks.synth.ok).toBe(true);
    });

    test("/metrics reports requests, time to first audio and the synth replicas, fresh at every scrape", async () => {
      const text = await (await fetch(`${getStack().url}/metrics`)).text();
      expect(text).toMatch(/^kokoro_synth_replicas_ready [1-9]/m);
      expect(text).toMatch(/^kokoro_gateway_synth_queue_depth \d+/m);
      // the process's own: memory and event-loop lag
      expect(text).toMatch(/^process_resident_memory_bytes \d+/m);
      expect(text).toMatch(/^nodejs_eventloop_lag_p99_seconds /m);
      expect(text).toContain("# TYPE kokoro_ttfa_seconds histogram");
      expect(text).toContain("kokoro_http_requests_total{");
    });

    test("WAV: the audio heard decodes to exactly the tokens g2p produced, in order", async () => {
      const s = getStack();
      const res = await post(s.url, {
        model: "kokoro",
        input: TEXT,
        voice: "af_heart",
        response_format: "wav",
      });
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("audio/wav");
      expect(res.headers.get("x-kokoro-voice")).toBe("af_heart");
      expect(res.headers.get("x-request-id")).toBeTruthy();
      expect(res.headers.get("x-kokoro-engine")).toBeTruthy();
      const { sampleRate, pcm } = pcmFromWav(new Uint8Array(await res.arrayBuffer()));
      expect(sampleRate).toBe(24000);
      const expected = await s.g2pTokens(TEXT, "af_heart");
      expect(expected.length).toBeGreaterThan(50);
      expect(decodeTokens(pcm).tokens).toEqual(expected);
    });

    test("PCM with an OpenAI voice name and tts-1: same path, raw 16-bit samples", async () => {
      const s = getStack();
      const input = "Hello there. How are you today?";
      const res = await post(s.url, {
        model: "tts-1",
        input,
        voice: "alloy",
        response_format: "pcm",
        speed: 1.5,
      });
      expect(res.status).toBe(200);
      expect(res.headers.get("x-kokoro-voice")).toBe("af_alloy");
      const pcm = pcmFromRaw(new Uint8Array(await res.arrayBuffer()));
      expect(decodeTokens(pcm).tokens).toEqual(await s.g2pTokens(input, "af_alloy"));
    });

    test("a repeated request is a chunk-cache hit, byte-identical to the first, in every format", async () => {
      const { url } = getStack();
      for (const format of ["mp3", "opus", "flac", "wav", "pcm"]) {
        // A speed of its own makes every chunk new (its key holds the speed), so the first request is a miss.
        // Random over a float's range: speeds drawn from a few thousand steps met now and then (a hit on
        // another format's chunks of this run, which share the test bucket).
        const speed = 0.8 + Math.random() * 0.4;
        const input = "The same words twice: first they are made, then they are remembered, byte for byte!";
        const body = { model: "kokoro", input, voice: "af_heart", response_format: format, speed };
        const first = await post(url, body);
        expect(first.status).toBe(200);
        expect(first.headers.get("x-kokoro-cache")).toBe("miss");
        const made = comparable(format, new Uint8Array(await first.arrayBuffer()));
        // Another replica finds it once the first has written it to the shared tier (in the background).
        let cache: string | null = null;
        for (let i = 0; i < 20 && cache !== "hit"; i++) {
          if (i) await new Promise((r) => setTimeout(r, 50));
          const again = await post(url, body);
          expect(again.status).toBe(200);
          cache = again.headers.get("x-kokoro-cache");
          expect({
            format,
            same: Buffer.compare(comparable(format, new Uint8Array(await again.arrayBuffer())), made),
          }).toEqual({ format, same: 0 });
        }
        expect({ format, cache }).toEqual({ format, cache: "hit" });
      }
    });

    test("user mistakes get a 4xx in OpenAI's error shape, and the service stays up", async () => {
      const { url } = getStack();
      const cases: [string, Promise<Response>, number, string][] = [
        [
          "unknown voice",
          post(url, { model: "kokoro", input: "Hi.", voice: "af_nobody", response_format: "wav" }),
          400,
          "unknown_voice",
        ],
        ["empty input", post(url, { model: "kokoro", input: "   ", voice: "af_heart" }), 400, "empty_input"],
        [
          "input over the limit",
          post(url, { model: "kokoro", input: "a".repeat(10_001), voice: "af_heart" }),
          400,
          "input_too_long",
        ],
        ["malformed JSON", post(url, '{"model": "kokoro", "input": '), 400, "invalid_json"],
        [
          "wrong content type",
          post(url, "model=kokoro&input=hi", { "content-type": "application/x-www-form-urlencoded" }),
          415,
          "unsupported_media_type",
        ],
        [
          "bad speed",
          post(url, { model: "kokoro", input: "Hi.", voice: "af_heart", speed: 9 }),
          400,
          "invalid_request",
        ],
        [
          "unknown model",
          post(url, { model: "whisper-1", input: "Hi.", voice: "af_heart" }),
          400,
          "invalid_request",
        ],
        [
          "bad voice mix",
          post(url, { model: "kokoro", input: "Hi.", voice: "af_heart(0)+", response_format: "wav" }),
          400,
          "invalid_voice",
        ],
      ];
      for (const [what, p, status, code] of cases) {
        const res = await p;
        const body = await res.json();
        expect({ what, status: res.status, code: body.error?.code }).toEqual({ what, status, code });
        expect(typeof body.error.message).toBe("string");
        expect(body.error.type).toBe(
          status === 415 || status === 400 ? "invalid_request_error" : expect.any(String),
        );
      }
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      const ok = await post(url, {
        model: "kokoro",
        input: "Still here.",
        voice: "af_heart",
        response_format: "pcm",
      });
      expect(ok.status).toBe(200);
      await ok.arrayBuffer();
    });

    test("flow control: a client that stops reading stops the worker; leaving cancels it", async () => {
      const s = getStack();
      const sentence =
        "This sentence is long enough to be one chunk of its own, with a comma here and there, and more words after it. ";
      const input = sentence.repeat(60); // ~60 chunks, minutes of audio: far more than any socket buffer holds
      const before = await s.synthInferences();
      const ac = new AbortController();
      const res = await post(
        s.url,
        { model: "kokoro", input, voice: "af_heart", response_format: "pcm" },
        { "content-type": "application/json" },
      );
      expect(res.status).toBe(200);
      const reader = res.body!.getReader();
      await reader.read(); // first audio arrived; now the client reads nothing more
      // The buffers between the worker and the client fill, then the worker stops. How long filling
      // takes depends on the machine's load: wait until the count holds still for a second (at most
      // 20 s), then it must stay still, far short of the whole text.
      let a = (await s.synthInferences()) - before;
      for (let waited = 0; waited < 20_000; waited += 1000) {
        await new Promise((r) => setTimeout(r, 1000));
        const now = (await s.synthInferences()) - before;
        if (now === a) break;
        a = now;
      }
      await new Promise((r) => setTimeout(r, 1500));
      const b = (await s.synthInferences()) - before;
      expect(b).toBe(a); // the worker waits for credit instead of producing into memory
      expect(a).toBeLessThan(60);
      await reader.cancel();
      ac.abort();
      await new Promise((r) => setTimeout(r, 1500));
      const c = (await s.synthInferences()) - before;
      expect(c - b).toBeLessThanOrEqual(1); // cancelled within one chunk
    });
  });
}

/**
 * The bytes of a response as they must repeat: each Ogg stream gets a random serial number (so that
 * streams can be chained), so for Opus the serial and the page checksum that covers it are set aside.
 */
function comparable(format: string, bytes: Uint8Array): Buffer {
  const b = Buffer.from(bytes);
  if (format !== "opus") return b;
  for (let at = 0; at + 27 <= b.length;) {
    expect(b.toString("latin1", at, at + 4)).toBe("OggS");
    const segments = b[at + 26]!;
    let size = 27 + segments;
    for (let i = 0; i < segments; i++) size += b[at + 27 + i]!;
    b.fill(0, at + 14, at + 18); // serial
    b.fill(0, at + 22, at + 26); // CRC
    at += size;
  }
  return b;
}
