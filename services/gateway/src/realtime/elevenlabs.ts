/**
 * GET /v1/text-to-speech/{voice_id}/stream-input as a WebSocket, compatible
 * with ElevenLabs' input-streaming protocol.
 *
 * Query: output_format (pcm_8000 … pcm_48000, ulaw_8000, alaw_8000,
 * mp3_22050_32, mp3_44100_64/96/128/192), inactivity_timeout (s), model_id
 * and other ElevenLabs options accepted and ignored. Client: a first message
 * with settings ({"text":" ", voice_settings?, generation_config?,
 * xi_api_key?, authorization?}), then {"text": "...", flush?}, and
 * {"text": ""} to end. Server: {"audio": base64, "isFinal": false,
 * "alignment": {chars, charStartTimesMs, charDurationsMs},
 * "normalizedAlignment": ...} and, once everything is spoken,
 * {"isFinal": true}; then the socket closes (1000). Times are in ms from the
 * start of the turn's audio. Errors: {"error": code, "message"} then a close
 * (1008 for auth and limits).
 *
 * The key may come in the first message (xi_api_key, or authorization
 * "Bearer <key>"): the /v1 middleware lets the handshake through without one
 * (Caller.keyPending) and it is checked here before any text is taken.
 */
import { validateQuery } from "../routes/read-json";
import type { Context } from "hono";
import { z } from "zod";
import { AppError, toWireError, upgradeSocket } from "@kokoro-edge/runtime";
import type { WordTiming } from "@kokoro-edge/proto";
import type { Caller } from "../auth/caller";
import type { GatewayDeps } from "../deps";
import { AudioOut, type OutputFormat } from "./audio-out";
import { CLOSE, SocketSession, type TextRate } from "./socket-session";
import { Speaker } from "./speaker";
import { realtimeSettings } from "./settings";
import { realtimeVoice } from "./voices";

const PCM_RATES = [8000, 16000, 22050, 24000, 44100, 48000];
const MP3 = new Set(["22050_32", "24000_48", "44100_32", "44100_64", "44100_96", "44100_128", "44100_192"]);

/** ElevenLabs' output_format names to ours; undefined for one we do not offer. */
export function parseOutputFormat(name: string): OutputFormat | undefined {
  const m = /^(pcm|ulaw|alaw|mp3)_(\d+)(?:_(\d+))?$/.exec(name);
  if (!m) return undefined;
  const rate = Number(m[2]);
  if (m[1] === "pcm" && !m[3] && PCM_RATES.includes(rate)) return { encoding: "linear16", sampleRate: rate };
  if (m[1] === "ulaw" && rate === 8000 && !m[3]) return { encoding: "mulaw", sampleRate: 8000 };
  if (m[1] === "alaw" && rate === 8000 && !m[3]) return { encoding: "alaw", sampleRate: 8000 };
  if (m[1] === "mp3" && m[3] && MP3.has(`${m[2]}_${m[3]}`))
    return { encoding: "mp3", sampleRate: rate, bitrate: Number(m[3]) * 1000 };
  return undefined;
}

const Query = z.object({
  output_format: z.string().default("mp3_44100_128"),
  inactivity_timeout: z.coerce.number().int().min(1).max(180).optional(),
  language_code: z.string().max(16).optional(),
});

const Settings = z.object({
  text: z.string(),
  xi_api_key: z.string().max(500).optional(),
  authorization: z.string().max(520).optional(),
  voice_settings: z
    .object({ speed: z.number().min(0.5).max(2).optional() })
    .passthrough()
    .optional(),
  generation_config: z.unknown().optional(),
});

const TextMessage = z.object({
  text: z.string(),
  flush: z.boolean().optional(),
  try_trigger_generation: z.boolean().optional(),
  voice_settings: z.unknown().optional(),
  generator_config: z.unknown().optional(),
});

export function elevenLabsStreamInputHandler(deps: GatewayDeps, textRate: TextRate) {
  return async (c: Context) => {
    const q = validateQuery(Query, c.req.url);
    const format = parseOutputFormat(q.output_format);
    if (!format)
      throw new AppError(
        400,
        "unsupported_output_format",
        `output_format '${q.output_format}' is not offered; use pcm_8000, pcm_16000, pcm_22050, pcm_24000, pcm_44100, pcm_48000, ulaw_8000, alaw_8000 or mp3_44100_128 (also mp3_22050_32, mp3_44100_64/96/192)`,
        "output_format",
      );
    if (c.req.header("upgrade")?.toLowerCase() !== "websocket")
      throw new AppError(
        426,
        "websocket_required",
        "stream-input is a WebSocket: connect with a WebSocket client (Upgrade: websocket)",
      );
    const { voice } = realtimeVoice(c.req.param("voice_id"));
    const settings = realtimeSettings(deps.config);
    let caller = (c.get("caller") as Caller | undefined) ?? { id: "ip:unknown" };
    const requestId = c.get("requestId") as string;
    const log = deps.log.child({
      request_id: requestId,
      route: "/v1/text-to-speech/{voice_id}/stream-input",
    });
    const idleMs = q.inactivity_timeout ? q.inactivity_timeout * 1000 : settings.idleTimeoutMs;

    const session = new SocketSession(idleMs);
    const out = await AudioOut.open(format);
    let speaker: Speaker | undefined;
    let release: (() => void) | undefined;
    let state: "settings" | "checking" | "text" | "ending" = "settings";
    const early: string[] = [];
    const stream = deps.metrics.trackStream("/v1/text-to-speech/stream-input");
    let pendingWords: WordTiming[] = [];
    /** Whether a word has been aligned already (the next one gets its space before it). */
    let aligned = false;

    const fail = (code: string, message: string, close: number) => {
      session.sendJson({ error: code, message });
      speaker?.close();
      session.close(close, message);
    };
    const sendAudio = (bytes: Uint8Array) => {
      if (!bytes.length) return Promise.resolve();
      const words = pendingWords;
      pendingWords = [];
      const alignment = words.length ? alignmentOf(words, aligned) : null;
      if (words.length) aligned = true;
      return session.sendAudio(
        JSON.stringify({
          audio: Buffer.from(bytes).toString("base64"),
          isFinal: false,
          alignment,
          normalizedAlignment: alignment,
        }),
      );
    };

    const start = (speed: number) => {
      speaker = new Speaker(
        {
          bus: deps.bus,
          log,
          voice,
          speed,
          language: q.language_code,
          requestId,
          stream: deps.synth,
          idleFlushMs: settings.idleFlushMs,
          segmenter: settings.segmenter,
        },
        {
          audio: (pcm) => sendAudio(out.push(pcm)),
          words: (words) => pendingWords.push(...words),
          error: (err) => {
            const wire = toWireError(err);
            session.sendJson({ error: wire.code, message: wire.message });
          },
          firstAudio: (ms) =>
            deps.metrics.observeTtfa(ms / 1000, {
              route: "/v1/text-to-speech/stream-input",
              format: q.output_format,
              transport: "websocket",
            }),
        },
      );
    };

    const onSettings = async (raw: string) => {
      let m;
      try {
        m = Settings.safeParse(JSON.parse(raw));
      } catch {
        return fail(
          "invalid_message",
          'the first message must be JSON: {"text": " ", "xi_api_key": "..."}',
          CLOSE.policy,
        );
      }
      if (!m.success)
        return fail(
          "invalid_message",
          `the first message must carry settings: ${m.error.issues[0]!.path.join(".") || "text"}: ${m.error.issues[0]!.message}`,
          CLOSE.policy,
        );
      const key = m.data.xi_api_key ?? /^\s*bearer\s+(\S+)\s*$/i.exec(m.data.authorization ?? "")?.[1];
      if (caller.keyPending) {
        if (!key)
          return fail(
            "missing_api_key",
            "this server requires an API key: send xi_api_key in the first message (or an xi-api-key header)",
            CLOSE.policy,
          );
        state = "checking";
        const found = await deps.keys!.lookup(key).catch(() => undefined);
        if (!found)
          return fail("invalid_api_key", "the API key is not valid (unknown or revoked)", CLOSE.policy);
        caller = { key: found, id: `key:${found.id}` };
      }
      const maxSockets = caller.key?.maxStreams ?? settings.maxSockets;
      release = await deps.limits!.acquireSlot(`ws:${caller.id}`, maxSockets);
      if (session.closed) return release?.();
      if (!release)
        return fail(
          "too_many_sockets",
          `too many sockets: the limit is ${maxSockets} realtime sockets per API key`,
          CLOSE.policy,
        );
      start(m.data.voice_settings?.speed ?? 1);
      state = "text";
      if (m.data.text.trim()) onText({ text: m.data.text });
      for (const e of early.splice(0)) onMessage(e);
    };

    const onText = (msg: z.infer<typeof TextMessage>) => {
      if (msg.text === "") {
        state = "ending";
        return speaker!.flush(() => {
          void sendAudio(out.end()).then(() => {
            session.sendJson({ isFinal: true });
            speaker?.close();
            session.close(CLOSE.normal, "end of input");
          });
        });
      }
      if (
        msg.text.length > deps.config.MAX_INPUT_CHARS ||
        speaker!.pendingText.length + msg.text.length > deps.config.MAX_INPUT_CHARS
      ) {
        return session.sendJson({
          error: "text_too_long",
          message: `at most ${deps.config.MAX_INPUT_CHARS} characters may wait for a phrase end; this text was ignored (send flush: true)`,
        });
      }
      if (!textRate.take(caller.id, msg.text.length, settings.charsPerMinute))
        return fail(
          "rate_limited",
          `text rate limit: at most ${settings.charsPerMinute} characters per minute`,
          CLOSE.policy,
        );
      speaker!.text(msg.text);
      if (msg.flush) speaker!.flush();
    };

    const onMessage = (raw: string) => {
      if (state === "settings") {
        state = "checking";
        return void onSettings(raw).catch((err) => {
          log.error("stream-input settings failed", { error: (err as Error).message });
          fail("internal_error", "internal error", CLOSE.serverError);
        });
      }
      if (state === "checking") return void early.push(raw);
      if (state === "ending")
        return session.sendJson({
          error: "closing",
          message: 'text after the end of input ({"text": ""}) is ignored',
        });
      let json: unknown;
      try {
        json = JSON.parse(raw);
      } catch {
        return session.sendJson({
          error: "invalid_json",
          message: 'messages must be JSON objects such as {"text": "Hello "}',
        });
      }
      const m = TextMessage.safeParse(json);
      if (!m.success)
        return session.sendJson({
          error: "invalid_message",
          message: `invalid message: ${m.error.issues[0]!.path.join(".") || "text"}: ${m.error.issues[0]!.message}`,
        });
      onText(m.data);
    };

    const res = upgradeSocket(c.req.raw, c.env, {
      open(socket) {
        session.attach(socket);
        session.onIdle = () => {
          if (speaker?.busy) return session.touch();
          fail("input_timeout", `no text for ${Math.round(idleMs / 1000)} s`, CLOSE.normal);
        };
      },
      message(data) {
        session.touch();
        if (typeof data !== "string")
          return session.sendJson({
            error: "binary_not_supported",
            message: "binary messages are not understood: send JSON text messages",
          });
        try {
          onMessage(data);
        } catch (err) {
          log.error("stream-input message failed", { error: (err as Error).message });
          fail("internal_error", "internal error", CLOSE.serverError);
        }
      },
      drain() {
        session.release();
      },
      close() {
        session.gone();
        speaker?.close();
        out.close();
        release?.();
        stream.done();
      },
    });
    if (!res) {
      out.close();
      stream.done();
      throw new AppError(400, "websocket_upgrade_failed", "the WebSocket handshake could not be completed");
    }
    return res;
  };
}

/** Word timings as ElevenLabs' per-character alignment: a word's time spread over its characters, a space before each word but the stream's first. */
export function alignmentOf(
  words: WordTiming[],
  afterEarlierWords = false,
): { chars: string[]; charStartTimesMs: number[]; charDurationsMs: number[] } {
  const chars: string[] = [];
  const starts: number[] = [];
  const durations: number[] = [];
  words.forEach((w, k) => {
    const startMs = w.start_s * 1000;
    const lenMs = Math.max(0, (w.end_s - w.start_s) * 1000);
    if (k > 0 || afterEarlierWords) {
      chars.push(" ");
      starts.push(Math.round(startMs));
      durations.push(0);
    }
    const cs = [...w.text];
    cs.forEach((ch, i) => {
      chars.push(ch);
      starts.push(Math.round(startMs + (lenMs * i) / cs.length));
      durations.push(Math.round(lenMs / cs.length));
    });
  });
  return { chars, charStartTimesMs: starts, charDurationsMs: durations };
}
