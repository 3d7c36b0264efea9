/** The realtime WebSocket routes (Deepgram's and ElevenLabs' protocols) on one text-rate limiter. */
import { Hono } from "hono";
import type { GatewayDeps } from "../deps";
import { deepgramSpeakHandler } from "./deepgram";
import { TextRate } from "./socket-session";

export function realtimeRoutes(deps: GatewayDeps) {
  const app = new Hono();
  const textRate = new TextRate();
  app.get("/v1/speak", deepgramSpeakHandler(deps, textRate));
  return app;
}
