import type { Context } from "hono";
import type { z } from "zod";
import { AppError } from "@kokoro-edge/runtime";

/** The JSON body, or a 4xx that says what is wrong with it. */
export async function readJson(c: Context): Promise<unknown> {
  const type = c.req.header("content-type") ?? "";
  if (!/^application\/json\b/i.test(type.trim())) {
    throw new AppError(
      415,
      "unsupported_media_type",
      `expected Content-Type: application/json, got ${type ? `'${type}'` : "none"}`,
    );
  }
  const text = await c.req.text();
  if (!text.trim())
    throw new AppError(400, "invalid_json", "the request body is empty; expected a JSON object");
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new AppError(400, "invalid_json", `the request body is not valid JSON: ${(err as Error).message}`);
  }
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Why a string cannot be stored or spoken, if it cannot: a NUL character
 * (Postgres text refuses it) or half of a UTF-16 surrogate pair (not Unicode
 * text at all; JSON's \uD800 escapes can make one).
 */
export function unsafeText(s: string): string | undefined {
  if (s.includes("\u0000")) return "contains a NUL character (U+0000)";
  if (LONE_SURROGATE.test(s)) return "contains an unpaired UTF-16 surrogate (not valid Unicode text)";
  return undefined;
}

/** A 400 naming the first string field (or key) of `value` that is not valid text. */
export function assertCleanText(value: unknown, path: string[] = []): void {
  if (typeof value === "string") {
    const why = unsafeText(value);
    if (why)
      throw new AppError(
        400,
        "invalid_text",
        `${path.length ? path.join(".") : "the body"} ${why}`,
        path.join(".") || undefined,
      );
  } else if (Array.isArray(value)) value.forEach((v, i) => assertCleanText(v, [...path, String(i)]));
  else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      if (unsafeText(k))
        throw new AppError(
          400,
          "invalid_text",
          `a field name under ${path.join(".") || "the body"} is not valid text`,
        );
      assertCleanText(v, [...path, k]);
    }
  }
}

/** Validate with zod; the first problem becomes a 400 naming the field. Text must be valid Unicode without NUL. */
export function validate<S extends z.ZodTypeAny>(schema: S, value: unknown): z.infer<S> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new AppError(400, "invalid_request", "the request body must be a JSON object");
  }
  assertCleanText(value);
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const param = issue.path.join(".");
    throw new AppError(
      400,
      "invalid_request",
      param ? `${param}: ${issue.message}` : issue.message,
      param || undefined,
    );
  }
  return parsed.data;
}

/** Validate a request's query string with zod; the first problem becomes a 400 naming the parameter. */
export function validateQuery<S extends z.ZodTypeAny>(schema: S, url: string): z.infer<S> {
  const parsed = schema.safeParse(Object.fromEntries(new URL(url).searchParams));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new AppError(
      400,
      "invalid_query",
      `${issue.path.join(".")}: ${issue.message}`,
      String(issue.path[0] ?? ""),
    );
  }
  return parsed.data;
}

/** The `input` text of a speech or phonemize request: not blank, at most `maxChars` (MAX_INPUT_CHARS). */
export function checkInput(input: string, maxChars: number, purpose: "speak" | "phonemize"): void {
  if (!input.trim())
    throw new AppError(400, "empty_input", `input is empty: give the text to ${purpose}`, "input");
  if (input.length > maxChars)
    throw new AppError(
      400,
      "input_too_long",
      `input is ${input.length} characters; the limit is ${maxChars}`,
      "input",
    );
}
