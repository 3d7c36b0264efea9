/** GET /v1/voices: what the synth replicas can speak with, and OpenAI's names mapped onto them. */
import { Hono } from "hono";
import { contracts, ErrorReply, SynthVoicesResult } from "@kokoro-edge/proto";
import { AppError, BusError, fromWireError } from "@kokoro-edge/runtime";
import { z } from "zod";
import type { GatewayDeps } from "../deps";
import { VoicesQuery, type VoiceList } from "../openapi/schemas";
import { OPENAI_VOICES } from "../speech/request";
import { validate } from "./read-json";

const Reply = z.union([SynthVoicesResult, ErrorReply]);

export async function listVoices(deps: GatewayDeps): Promise<SynthVoicesResult> {
  let reply: z.infer<typeof Reply>;
  try {
    reply = await deps.bus.requestJson(contracts.synth.voices, { v: 1 }, { timeoutMs: 5_000 });
  } catch (err) {
    if (err instanceof BusError && err.code === "no_responders")
      throw new AppError(503, "no_synth_worker", "no synth replica is running; see /readyz");
    if (err instanceof BusError && err.code === "timeout")
      throw new AppError(504, "synth_timeout", "no synth replica answered in time");
    throw err;
  }
  if ("error" in reply) throw fromWireError(reply.error);
  return reply;
}

/** A language filter matches the tag or its primary language: "fr" finds fr-fr, "en" both Englishes. */
const speaks = (language: string, filter: string) => {
  const f = filter.trim().toLowerCase();
  return language === f || language.startsWith(`${f}-`);
};

export function voicesRoutes(deps: GatewayDeps) {
  const app = new Hono();
  app.get("/v1/voices", async (c) => {
    const q = validate(VoicesQuery, c.req.query());
    const r = await listVoices(deps);
    const byName = new Map(r.voices.map((v) => [v.name, v]));
    const data = r.voices
      .filter((v) => !q.language || speaks(v.language, q.language))
      .filter((v) => !q.available || v.available === (q.available === "true"))
      .map((v) => ({
        id: v.name,
        object: "voice" as const,
        name: v.name,
        language: v.language,
        gender: v.gender,
        engine: v.engine,
        available: v.available,
      }));
    const body: z.infer<typeof VoiceList> = {
      object: "list",
      engine: r.engine,
      data,
      openai_voices: Object.entries(OPENAI_VOICES).map(([name, voice]) => ({
        name,
        voice,
        available: byName.get(voice)?.available ?? false,
      })),
    };
    return c.json(body);
  });
  return app;
}
