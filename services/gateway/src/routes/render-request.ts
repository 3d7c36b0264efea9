import type { Context } from "hono";
import { AppError } from "@kokoro-edge/runtime";
import { decodeSubtitleBytes } from "../subtitles/decode";
import { RenderRequest } from "../jobs/request";
import { readJson, validate } from "./read-json";

/**
 * The render request from JSON (`document` as text) or multipart (`file`
 * upload plus form fields). Uploaded bytes are decoded as the subtitle
 * decoder does (BOM, UTF-16), not as the browser guessed.
 */
/** The multipart form of a request, or undefined when the body is not multipart; an unreadable form is a 400. */
export async function readForm(c: Context): Promise<Record<string, string | File> | undefined> {
  if (!/^multipart\/form-data/i.test(c.req.header("content-type") ?? "")) return undefined;
  try {
    return (await c.req.parseBody()) as Record<string, string | File>;
  } catch (err) {
    throw new AppError(
      400,
      "invalid_multipart",
      `the multipart body could not be read: ${(err as Error).message}`,
    );
  }
}

export async function readRenderRequest(c: Context): Promise<RenderRequest> {
  const form = await readForm(c);
  if (form) {
    const body: Record<string, unknown> = {};
    const file = form.file;
    if (file instanceof File) {
      body.document = decodeSubtitleBytes(new Uint8Array(await file.arrayBuffer())).text;
      body.filename = file.name;
    } else if (typeof form.document === "string") body.document = form.document;
    else
      throw new AppError(
        400,
        "missing_document",
        "upload the subtitle file as the form field 'file' (or send 'document' as text)",
        "file",
      );
    for (const k of ["voice", "response_format", "retime", "stream_format", "format", "filename"])
      if (typeof form[k] === "string") body[k] = form[k];
    for (const k of ["speed", "max_speed"]) if (typeof form[k] === "string") body[k] = Number(form[k]);
    if (typeof form.async === "string") body.async = ["1", "true", "yes"].includes(form.async.toLowerCase());
    if (typeof form.speakers === "string" && form.speakers.trim()) {
      try {
        body.speakers = JSON.parse(form.speakers);
      } catch {
        throw new AppError(
          400,
          "invalid_request",
          "speakers must be a JSON object mapping speaker names to voices",
          "speakers",
        );
      }
    }
    return validate(RenderRequest, body);
  }
  return validate(RenderRequest, await readJson(c));
}
