import { z } from "zod";
import { SPEED_MAX, SPEED_MIN } from "@kokoro-edge/proto";
import { AUDIO_FORMATS, type AudioFormat } from "../encoders/types";
import { SUBTITLE_FORMATS, type SubtitleFormat } from "../subtitles/types";

/**
 * A subtitle (or plain-text) render, as POST /v1/audio/subtitles and
 * POST /v1/jobs take it. The document is text (multipart uploads are decoded
 * to it first, keeping their bytes' encoding detection).
 */
export const RenderRequest = z.object({
  /** The subtitle file (SRT, WebVTT, ASS/SSA) or plain text. */
  document: z.string().min(1, "document is empty"),
  /** A file name, used only as a hint for the format. */
  filename: z.string().max(512).optional(),
  /** Force a format instead of detecting it from the content. */
  format: z.enum(SUBTITLE_FORMATS).optional(),
  voice: z.string().min(1).default("af_heart"),
  /** Speaker (ASS Name/Actor, VTT <v>) -> voice. */
  speakers: z.record(z.string(), z.string().min(1)).default({}),
  response_format: z.enum(AUDIO_FORMATS).default("wav"),
  speed: z.number().min(SPEED_MIN).max(SPEED_MAX).default(1),
  /** Fastest speed a cue may be re-synthesised at to fit its slot. */
  max_speed: z.number().min(SPEED_MIN).max(SPEED_MAX).optional(),
  /** Also produce the subtitles re-timed to the speech (SRT or WebVTT). */
  retime: z.enum(["srt", "vtt"]).optional(),
  stream_format: z.enum(["audio", "sse"]).default("audio"),
  /** Run as a job even when small. */
  async: z.boolean().default(false),
});
export type RenderRequest = z.infer<typeof RenderRequest>;

/** A long plain text as a job: POST /v1/jobs with `input`. */
export const JobCreateRequest = z.union([
  RenderRequest.omit({ stream_format: true, async: true }),
  z
    .object({
      input: z.string().min(1, "input is empty"),
      voice: z.string().min(1).default("af_heart"),
      response_format: z.enum(AUDIO_FORMATS).default("wav"),
      speed: z.number().min(SPEED_MIN).max(SPEED_MAX).default(1),
    })
    .transform((t) => ({
      document: t.input,
      format: "text" as const,
      voice: t.voice,
      response_format: t.response_format,
      speed: t.speed,
      speakers: {} as Record<string, string>,
    })),
]);

/** What a job stores to render itself again after a crash. */
export interface StoredRenderRequest {
  document: string;
  filename?: string;
  format?: SubtitleFormat;
  voice: string;
  speakers: Record<string, string>;
  response_format: AudioFormat;
  speed: number;
  max_speed?: number;
  retime?: "srt" | "vtt";
}
