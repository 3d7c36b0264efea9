import type { Context } from "hono";
import { AppError } from "@kokoro-edge/runtime";
import { parseSubtitles } from "../subtitles/parse";
import { decodeSubtitleBytes } from "../subtitles/decode";
import { SubtitleParseError, type ParsedDocument } from "../subtitles/types";
import { readJson, validate } from "../routes/read-json";
import { RenderRequest } from "./request";
import { checkRenderLimits, checkDocumentLength, type RenderLimits } from "../subtitles/limits";

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

/**
 * Parse the document; a file with nothing usable is a 400 naming the line,
 * one past the render limits a 413 naming the limit.
 */
export function parseDocument(
  req: { document: string; filename?: string; format?: string },
  limits: RenderLimits,
): ParsedDocument {
  checkDocumentLength(req.document, limits); // before parsing: parsing a huge document is work too
  try {
    const doc = parseSubtitles(req.document, { filename: req.filename, format: req.format as never });
    if (doc.cues.length === 0)
      throw new AppError(400, "no_cues", "the document has no cue with words to speak", "document");
    checkRenderLimits(req.document, doc, limits);
    return doc;
  } catch (err) {
    if (err instanceof SubtitleParseError)
      throw new AppError(400, "invalid_subtitles", err.message, "document");
    throw err;
  }
}
