/**
 * GET /v1/speak as a WebSocket, compatible with Deepgram's streaming TTS
 * protocol, so agents built for it (Pipecat, LiveKit Agents, Deepgram's SDK)
 * work with a changed base URL.
 *
 * Query: model (voice, mix, OpenAI or Aura name), encoding (linear16, mulaw,
 * alaw), sample_rate. Client: {"type":"Speak","text"}, Flush, Clear, Close.
 * Server: binary audio frames; Metadata on open; Flushed {sequence_id} after
 * the audio a Flush asked for; Cleared {sequence_id}; Warning and Error
 * {description, code}. Our extension: {"type":"Timestamps","words":[...]}
 * (clients ignore types they do not know).
 *
 * Auth happened in the /v1 middleware (Authorization: Token|Bearer <key>, or
 * Sec-WebSocket-Protocol "token, <key>", whose "token" is echoed here).
 */
import { validateQuery } from "../routes/read-json";
import { SAMPLE_RATE } from "@kokoro-edge/proto";
import type { Context } from "hono";
import { z } from "zod";
import { AppError, toWireError, upgradeSocket } from "@kokoro-edge/runtime";
import type { Caller } from "../auth/caller";
import type { GatewayDeps } from "../deps";
import { AudioOut, ENCODING_RATES, type Encoding } from "./audio-out";
import { CLOSE, SocketSession, TextRate } from "./socket-session";
import { Speaker } from "./speaker";
import { realtimeVoice } from "./voices";
import { realtimeSettings } from "./settings";

const Query = z.object({
  model: z.string().max(200).optional(),
  encoding: z.enum(["linear16", "mulaw", "alaw"]).default("linear16"),
  sample_rate: z.coerce.number().int().optional(),
  speed: z.coerce.number().min(0.5).max(2).default(1),
  language: z.string().max(16).optional(),
  /** Accepted and ignored: Deepgram options with no meaning here. */
  container: z.string().optional(),
  bit_rate: z.string().optional(),
  mip_opt_out: z.string().optional(),
  tag: z.string().optional(),
  callback: z.string().optional(),
});

const ClientMessage = z.discriminatedUnion("type", [
  z.object({ type: z.literal("Speak"), text: z.string() }),
  z.object({ type: z.literal("Flush") }),
  z.object({ type: z.literal("Clear") }),
  z.object({ type: z.literal("Close") }),
]);

export function deepgramSpeakHandler(deps: GatewayDeps, textRate: TextRate) {
  return async (c: Context) => {
    const q = validateQuery(Query, c.req.url);
    const encoding: Encoding = q.encoding;
    const sampleRate = q.sample_rate ?? (encoding === "linear16" ? SAMPLE_RATE : 8000);
    if (!ENCODING_RATES[encoding].includes(sampleRate)) {
      throw new AppError(
        400,
        "unsupported_sample_rate",
        `sample_rate ${sampleRate} is not offered for ${encoding}; use one of ${ENCODING_RATES[encoding].join(", ")}`,
        "sample_rate",
      );
    }
    if (c.req.header("upgrade")?.toLowerCase() !== "websocket")
      throw new AppError(
        426,
        "websocket_required",
        "GET /v1/speak is a WebSocket: connect with a WebSocket client (Upgrade: websocket)",
      );
    const { voice, aura } = realtimeVoice(q.model);
    const settings = realtimeSettings(deps.config);
    const caller = (c.get("caller") as Caller | undefined) ?? { id: "ip:unknown" };
    const requestId = c.get("requestId") as string;
    const log = deps.log.child({ request_id: requestId, route: "/v1/speak" });
    const maxSockets = caller.key?.maxStreams ?? settings.maxSockets;

    // The socket holds one of the caller's realtime slots (fleet-wide with a shared limit store) until it closes.
    const release = await deps.limits!.acquireSlot(`ws:${caller.id}`, maxSockets);
    const session = new SocketSession(settings.idleTimeoutMs);
    const out = await AudioOut.open({ encoding, sampleRate });
    let flushes = 0;
    let closing = false;
    const stream = deps.metrics.trackStream("/v1/speak");
    const warn = (code: string, description: string) =>
      session.sendJson({ type: "Warning", code, description });
    const speaker = new Speaker(
      {
        bus: deps.bus,
        log,
        voice,
        speed: q.speed,
        language: q.language,
        requestId,
        stream: deps.synth,
        idleFlushMs: settings.idleFlushMs,
        segmenter: settings.segmenter,
      },
      {
        audio: (pcm) => session.sendAudio(out.push(pcm)),
        words: (words) =>
          session.sendJson({
            type: "Timestamps",
            words: words.map((w) => ({
              word: w.text,
              start: round3(w.start_s),
              end: round3(w.end_s),
              char_start: w.start,
              char_end: w.end,
            })),
          }),
        error: (err) => {
          const wire = toWireError(err);
          session.sendJson({ type: "Error", code: wire.code, description: wire.message });
        },
        firstAudio: (ms) =>
          deps.metrics.observeTtfa(ms / 1000, {
            route: "/v1/speak",
            format: encoding,
            transport: "websocket",
          }),
      },
    );
    const endTurn = () => session.sendAudio(out.end());
    const closeWith = (code: number, reason: string) => {
      speaker.close();
      session.close(code, reason);
    };
    session.onIdle = () => {
      if (speaker.busy) return session.touch();
      closeWith(CLOSE.normal, `idle for ${Math.round(settings.idleTimeoutMs / 1000)} s`);
    };

    const onText = (raw: string) => {
      let msg: z.infer<typeof ClientMessage>;
      let json: unknown;
      try {
        json = JSON.parse(raw);
      } catch {
        return warn("INVALID_JSON", 'messages must be JSON objects such as {"type":"Speak","text":"Hello"}');
      }
      const m = ClientMessage.safeParse(json);
      if (!m.success) {
        const type = (json as { type?: unknown } | null)?.type;
        if (typeof type === "string" && !["Speak", "Flush", "Clear", "Close"].includes(type))
          return warn(
            "UNKNOWN_MESSAGE_TYPE",
            `unknown message type '${type.slice(0, 40)}': expected Speak, Flush, Clear or Close`,
          );
        return warn(
          "INVALID_MESSAGE",
          `invalid message: ${m.error.issues[0]!.path.join(".") || "type"}: ${m.error.issues[0]!.message}`,
        );
      }
      msg = m.data;
      if (closing) return warn("CLOSING", `${msg.type} after Close is ignored: the connection is closing`);
      switch (msg.type) {
        case "Speak":
          if (msg.text.length > deps.config.MAX_INPUT_CHARS)
            return warn(
              "TEXT_TOO_LONG",
              `a Speak message may carry at most ${deps.config.MAX_INPUT_CHARS} characters; this one had ${msg.text.length} and was ignored`,
            );
          if (speaker.pendingText.length + msg.text.length > deps.config.MAX_INPUT_CHARS)
            return warn(
              "BUFFER_FULL",
              `more than ${deps.config.MAX_INPUT_CHARS} characters are waiting for a phrase end; send Flush`,
            );
          if (
            !textRate.take(
              caller.id,
              msg.text.length,
              caller.key ? settings.charsPerMinute : settings.charsPerMinute,
            )
          ) {
            return closeWith(
              CLOSE.policy,
              `text rate limit: at most ${settings.charsPerMinute} characters per minute`,
            );
          }
          return speaker.text(msg.text);
        case "Flush": {
          const seq = flushes++;
          return speaker.flush(() => {
            void endTurn().then(() => session.sendJson({ type: "Flushed", sequence_id: seq }));
          });
        }
        case "Clear":
          speaker.clear();
          session.abortWaits();
          out.reset();
          return session.sendJson({ type: "Cleared", sequence_id: flushes });
        case "Close":
          closing = true;
          return speaker.flush(() => {
            void endTurn().then(() => closeWith(CLOSE.normal, "closed by the client"));
          });
      }
    };

    const res = upgradeSocket(
      c.req.raw,
      c.env,
      {
        open(socket) {
          session.attach(socket);
          if (!release) {
            session.sendJson({
              type: "Error",
              code: "TOO_MANY_SOCKETS",
              description: `at most ${maxSockets} realtime sockets per API key (or client address) at once`,
            });
            return session.close(CLOSE.policy, `too many sockets: the limit is ${maxSockets}`);
          }
          session.sendJson({
            type: "Metadata",
            request_id: requestId,
            model_name: aura ?? voice,
            model_version: "kokoro-82m",
            model_uuid: voice,
          });
          if (aura) warn("MODEL_MAPPED", `model '${aura}' is spoken by the Kokoro voice '${voice}'`);
        },
        message(data) {
          session.touch();
          if (typeof data !== "string")
            return warn(
              "BINARY_NOT_SUPPORTED",
              "binary messages are not understood: send JSON text messages",
            );
          try {
            onText(data);
          } catch (err) {
            log.error("realtime message failed", { error: (err as Error).message });
            closeWith(CLOSE.serverError, "internal error");
          }
        },
        drain() {
          session.release();
        },
        close() {
          session.gone();
          speaker.close();
          out.close();
          release?.();
          stream.done();
        },
      },
      { protocol: offeredTokenProtocol(c.req.header("sec-websocket-protocol")) },
    );
    if (!res) {
      out.close();
      release?.();
      stream.done();
      throw new AppError(400, "websocket_upgrade_failed", "the WebSocket handshake could not be completed");
    }
    return res;
  };
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

/** Browsers authenticate with Sec-WebSocket-Protocol: token, <key> (or bearer, <token>); the server must echo the first. */
export function offeredTokenProtocol(header: string | undefined): string | undefined {
  const first = header?.split(",")[0]?.trim();
  return first && ["token", "bearer"].includes(first.toLowerCase()) ? first : undefined;
}
