import { AppError } from "@kokoro-edge/runtime";
import { parseSubtitles } from "../subtitles/parse";
import { SubtitleParseError, type ParsedDocument, type SubtitleFormat } from "../subtitles/types";
import { checkRenderLimits, checkDocumentLength, type RenderLimits } from "../subtitles/limits";

/**
 * Parse the document; a file with nothing usable is a 400 naming the line,
 * one past the render limits a 413 naming the limit.
 */
export function parseDocument(
  req: { document: string; filename?: string; format?: SubtitleFormat },
  limits: RenderLimits,
): ParsedDocument {
  checkDocumentLength(req.document, limits); // before parsing: parsing a huge document is work too
  try {
    const doc = parseSubtitles(req.document, { filename: req.filename, format: req.format });
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
