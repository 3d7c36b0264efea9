/**
 * POST /v1/audio/phonemize: the text as Kokoro will read it (normalised
 * words, phonemes, token ids, chunks with pauses, and words with their spans).
 */
import { Hono } from "hono";
import type { GatewayEnv } from "../env";
import { phonemizeView } from "@kokoro-edge/proto";
import type { z } from "zod";
import type { GatewayDeps } from "../deps";
import { PhonemizeRequest, type PhonemizeResponse } from "../openapi/schemas";
import { phonemize } from "../pipeline/g2p-client";
import { resolveVoiceName } from "../speech/request";
import { readJson, validate, checkInput } from "./read-json";

export function phonemizeRoutes(deps: GatewayDeps) {
  const app = new Hono<GatewayEnv>();
  app.post("/v1/audio/phonemize", async (c) => {
    const req = validate(PhonemizeRequest, await readJson(c));
    checkInput(req.input, deps.config.MAX_INPUT_CHARS, "phonemize");
    const voice = req.voice === undefined ? undefined : resolveVoiceName(req.voice);
    const result = await phonemize(deps.bus, {
      text: req.input,
      voice,
      language: req.language,
      pronunciations: req.pronunciations,
    });
    return c.json(phonemizeView(result, req.input) satisfies z.infer<typeof PhonemizeResponse>);
  });
  return app;
}
