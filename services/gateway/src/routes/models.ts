/** GET /v1/models (OpenAI's list shape): kokoro, and the OpenAI model names accepted as its aliases. */
import { Hono } from "hono";
import type { z } from "zod";
import { AppError } from "@kokoro-edge/runtime";
import type { ModelList } from "../openapi/schemas";
import { MODEL_ALIASES } from "../speech/request";

/** A fixed date (Kokoro-82M v1.0's release) so the list is stable between restarts. */
const CREATED = Math.floor(Date.UTC(2025, 0, 27) / 1000);

export function modelList(): z.infer<typeof ModelList> {
  return {
    object: "list",
    data: MODEL_ALIASES.map((id) => ({
      id,
      object: "model" as const,
      created: CREATED,
      owned_by: "kokoro-edge",
      ...(id === "kokoro" ? {} : { alias_of: "kokoro" }),
    })),
  };
}

export function modelsRoutes() {
  const app = new Hono();
  app.get("/v1/models", (c) => c.json(modelList()));
  app.get("/v1/models/:id", (c) => {
    const id = c.req.param("id");
    const m = modelList().data.find((x) => x.id === id);
    if (!m)
      throw new AppError(
        404,
        "model_not_found",
        `the model '${id}' does not exist; models: ${MODEL_ALIASES.join(", ")}`,
        "model",
      );
    return c.json(m);
  });
  return app;
}
