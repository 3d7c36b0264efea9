import type { Context } from "hono";
import type { z } from "zod";
import { AppError } from "@kokoro-edge/runtime";

/** The JSON body, or a 4xx that says what is wrong with it. */
export async function readJson(c: Context): Promise<unknown> {
  const type = c.req.header("content-type") ?? "";
  if (!/^application\/json\b/i.test(type.trim())) {
    throw new AppError(415, "unsupported_media_type", `expected Content-Type: application/json, got ${type ? `'${type}'` : "none"}`);
  }
  const text = await c.req.text();
  if (!text.trim()) throw new AppError(400, "invalid_json", "the request body is empty; expected a JSON object");
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new AppError(400, "invalid_json", `the request body is not valid JSON: ${(err as Error).message}`);
  }
}

/** Validate with zod; the first problem becomes a 400 naming the field. */
export function validate<S extends z.ZodTypeAny>(schema: S, value: unknown): z.infer<S> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new AppError(400, "invalid_request", "the request body must be a JSON object");
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const param = issue.path.join(".");
    throw new AppError(400, "invalid_request", param ? `${param}: ${issue.message}` : issue.message, param || undefined);
  }
  return parsed.data;
}
