/**
 * POST /v1/audio/phonemize: the text as Kokoro will read it (normalised
 * words, phonemes, token ids, chunks with pauses, and words with their spans).
 */
import { Hono } from "hono";
import { AppError } from "@kokoro-edge/runtime";
import { phonemizeView } from "@kokoro-edge/proto";
import type { z } from "zod";
import type { GatewayDeps } from "../deps";
import { PhonemizeRequest, type PhonemizeResponse } from "../openapi/schemas";
import { phonemize } from "../pipeline/g2p-client";
import { resolveVoiceName } from "../speech/request";
import { readJson, validate } from "./read-json";

export function phonemizeRoutes(deps: GatewayDeps) {
  const app = new Hono();
  app.post("/v1/audio/phonemize", async (c) => {
    const req = validate(PhonemizeRequest, await readJson(c));
    if (!req.input.trim())
      throw new AppError(400, "empty_input", "input is empty: give the text to phonemize", "input");
    if (req.input.length > deps.config.MAX_INPUT_CHARS) {
      throw new AppError(
        400,
        "input_too_long",
        `input is ${req.input.length} characters; the limit is ${deps.config.MAX_INPUT_CHARS}`,
        "input",
      );
    }
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
