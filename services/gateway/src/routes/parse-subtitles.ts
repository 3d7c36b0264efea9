/**
 * POST /v1/subtitles/parse: a subtitle file (SRT, WebVTT, ASS/SSA) or plain
 * text in, its cues, detected format and warnings out, without rendering. The
 * studio uses it to show a document's cues; any client can. A file with no
 * usable cue is a 400 whose message starts with the line number; a binary file
 * is a 400 that says so.
 */
import { readForm } from "./render-request";
import { Hono } from "hono";
import { z } from "zod";
import { AppError } from "@kokoro-edge/runtime";
import type { GatewayEnv } from "../env";
import { decodeSubtitleBytes } from "../subtitles/decode";
import { looksBinary } from "../subtitles/binary";
import { parseDocument } from "../jobs/document";
import { SUBTITLE_FORMATS } from "../subtitles/types";
import { readJson, validate } from "./read-json";

export const ParseSubtitlesRequest = z.object({
  document: z.string().min(1, "document is empty"),
  filename: z.string().max(255).optional(),
  format: z.enum(SUBTITLE_FORMATS).optional(),
});

/** MAX_DOCUMENT_CHARS's default (MAX_BODY_BYTES bounds the body anyway); cue limits apply to renders. */
const PARSE_ONLY_LIMITS = {
  maxDocumentChars: 500_000,
  maxCueChars: Number.POSITIVE_INFINITY,
  maxTrackSeconds: Number.POSITIVE_INFINITY,
};

export function parseSubtitlesRoutes() {
  const app = new Hono<GatewayEnv>();
  app.post("/v1/subtitles/parse", async (c) => {
    let req: z.infer<typeof ParseSubtitlesRequest>;
    const form = await readForm(c);
    if (form) {
      const file = form.file;
      if (!(file instanceof File))
        throw new AppError(400, "missing_document", "upload the file as the form field 'file'", "file");
      const decoded = decodeSubtitleBytes(new Uint8Array(await file.arrayBuffer()));
      if (looksBinary(decoded.text))
        throw new AppError(
          400,
          "binary_file",
          `${file.name || "the file"} is not a text file (it looks binary); upload .srt, .vtt, .ass, .ssa or .txt`,
          "file",
        );
      req = validate(ParseSubtitlesRequest, {
        document: decoded.text,
        filename: file.name,
        format: typeof form.format === "string" && form.format ? form.format : undefined,
      });
    } else {
      req = validate(ParseSubtitlesRequest, await readJson(c));
      if (looksBinary(req.document))
        throw new AppError(400, "binary_file", "the document is not text (it looks binary)", "document");
    }
    // Parsing renders nothing: only the document's size is limited here (a cue too long or too late
    // to render is shown, so it can be edited; rendering it is refused with a 413).
    const doc = parseDocument(req, PARSE_ONLY_LIMITS);
    return c.json({
      object: "subtitle_document",
      format: doc.format,
      timed: doc.timed,
      encoding: doc.encoding,
      cues: doc.cues,
      warnings: doc.warnings,
    });
  });
  return app;
}
