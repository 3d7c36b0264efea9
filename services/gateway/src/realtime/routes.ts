/** The realtime WebSocket routes (Deepgram's and ElevenLabs' protocols) on one text-rate limiter. */
import { Hono } from "hono";
import type { GatewayDeps } from "../deps";
import { deepgramSpeakHandler } from "./deepgram";
import { elevenLabsStreamInputHandler } from "./elevenlabs";
import { TextRate } from "./socket-session";

/** ElevenLabs' socket may send its API key in the first message instead of a header. */
export const isStreamInputPath = (path: string) => /^\/v1\/text-to-speech\/[^/]+\/stream-input$/.test(path);

export function realtimeRoutes(deps: GatewayDeps) {
  const app = new Hono();
  const textRate = new TextRate();
  app.get("/v1/speak", deepgramSpeakHandler(deps, textRate));
  app.get("/v1/text-to-speech/:voice_id/stream-input", elevenLabsStreamInputHandler(deps, textRate));
  return app;
}
