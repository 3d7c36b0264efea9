/**
 * The shapes of studio projects at the API boundary. A project document holds
 * the edited cues (times, text, speaker, and per-cue voice and speed when they
 * differ from the track's), the track's voice and speed, and the
 * speaker-to-voice map. Limits keep one project a reasonable database row.
 */
import { z } from "zod";

export const MAX_PROJECT_CUES = 20_000;
export const MAX_CUE_CHARS = 10_000;

const VoiceSpec = z
  .string()
  .min(1)
  .max(200)
  .describe("A voice name, or a mix such as 'af_bella(2)+am_adam(1)'.");

export const ProjectCue = z.object({
  id: z.string().min(1).max(64),
  start_s: z.number().min(0).max(86_400),
  end_s: z.number().min(0).max(86_400),
  text: z.string().max(MAX_CUE_CHARS),
  speaker: z.string().max(200).optional(),
  voice: VoiceSpec.optional(),
  speed: z.number().min(0.25).max(4).optional(),
});

export const ProjectDocument = z.object({
  /** The source format (srt, vtt, ass, text): decides whether cue times are kept. */
  format: z.enum(["srt", "vtt", "ass", "text"]).default("srt"),
  timed: z.boolean().default(true),
  voice: VoiceSpec.default("af_heart"),
  speed: z.number().min(0.25).max(4).default(1),
  speakers: z.record(z.string().max(200), VoiceSpec).default({}),
  cues: z.array(ProjectCue).max(MAX_PROJECT_CUES),
});
export type ProjectDocument = z.infer<typeof ProjectDocument>;

export const CreateProjectRequest = z.object({
  name: z.string().trim().min(1, "name is empty").max(200),
  document: ProjectDocument,
});

export const UpdateProjectRequest = z
  .object({
    name: z.string().trim().min(1, "name is empty").max(200).optional(),
    document: ProjectDocument.optional(),
  })
  .refine((r) => r.name !== undefined || r.document !== undefined, {
    message: "send name, document or both",
  });

export const ProjectSummary = z.object({
  id: z.string(),
  object: z.literal("project"),
  name: z.string(),
  cue_count: z.number().int(),
  created_at: z.string(),
  updated_at: z.string(),
});
export const Project = ProjectSummary.extend({ document: ProjectDocument });
export const ProjectList = z.object({ object: z.literal("list"), data: z.array(ProjectSummary) });

export const ParsedSubtitles = z.object({
  object: z.literal("subtitle_document"),
  format: z.enum(["srt", "vtt", "ass", "text"]),
  timed: z.boolean(),
  encoding: z.string(),
  cues: z.array(
    z.object({
      index: z.number().int(),
      id: z.string().optional(),
      start_s: z.number(),
      end_s: z.number(),
      text: z.string(),
      speaker: z.string().optional(),
      line: z.number().int(),
      raw: z.string(),
    }),
  ),
  warnings: z.array(z.object({ line: z.number().int(), message: z.string() })),
});
