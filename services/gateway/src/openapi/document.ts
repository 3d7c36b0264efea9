/**
 * The OpenAPI 3.1 document of the public API, generated from the zod schemas
 * the routes validate with (zod 4's JSON Schema output is 2020-12, which is
 * what OpenAPI 3.1 uses).
 */
import { z } from "zod";
import { SPEED_MAX, SPEED_MIN } from "@kokoro-edge/proto";
import { CONTENT_TYPES, supportedFormats } from "../encoders";
import { JobCreateRequest, RenderRequest } from "../jobs/request";
import { MODEL_ALIASES, OPENAI_VOICES, SpeechRequest } from "../speech/request";
import * as S from "./schemas";
import { LANGUAGES_DOC } from "./schemas";
import * as P from "../projects/schema";
import { ParseSubtitlesRequest } from "../routes/parse-subtitles";

export interface DocumentOptions {
  /** Whether /v1 routes require an API key. */
  keysRequired: boolean;
  maxInputChars: number;
  version?: string;
}

const voiceMapping = Object.entries(OPENAI_VOICES)
  .map(([k, v]) => `${k} → ${v}`)
  .join(", ");

/** The speech request as documented: the same schema, with the model names spelled out as an enum. */
function speechRequestDoc(maxInputChars: number) {
  return SpeechRequest.extend({
    model: z
      .enum(MODEL_ALIASES)
      .meta({ description: "kokoro; OpenAI's tts-1, tts-1-hd and gpt-4o-mini-tts are accepted as aliases." }),
    input: z.string().meta({ description: `The text to speak, at most ${maxInputChars} characters.` }),
    voice: z
      .string()
      .min(1)
      .meta({
        description: `A Kokoro voice (see GET /v1/voices), a mix such as \`af_bella(2)+af_sky(1)\`, or an OpenAI voice name, mapped as: ${voiceMapping}.`,
      }),
    response_format: SpeechRequest.shape.response_format.meta({
      description: `mp3, opus (Ogg), flac, wav (streamed with an unknown-length header), pcm (raw 24 kHz 16-bit little-endian mono). aac is named by OpenAI's API but not supported here: it is a 400. Supported: ${supportedFormats().join(", ")}.`,
    }),
    speed: SpeechRequest.shape.speed.meta({ description: `${SPEED_MIN} to ${SPEED_MAX}.` }),
    stream_format: SpeechRequest.shape.stream_format.meta({
      description: "audio: the encoded stream, chunked as it is made; sse: server-sent events.",
    }),
    instructions: SpeechRequest.shape.instructions.meta({
      description: "Accepted for compatibility and ignored.",
    }),
    language: SpeechRequest.shape.language.meta({
      description: `Override the language picked from the voice name. ${LANGUAGES_DOC}`,
    }),
    pronunciations: SpeechRequest.shape.pronunciations.meta({
      description: "Per-request lexicon: word -> phonemes in Kokoro's alphabet.",
    }),
  });
}

const SseEvent = z
  .union([
    z.object({
      type: z.literal("speech.audio.delta"),
      audio: z.string().meta({ description: "base64 of the next bytes of the encoded stream" }),
    }),
    z.object({
      type: z.literal("speech.audio.timestamps"),
      words: z.array(
        z.object({
          text: z.string().meta({ description: "The word's original text." }),
          start: z.number().int().meta({ description: "Character offset into input." }),
          end: z.number().int(),
          start_s: z.number(),
          end_s: z.number(),
        }),
      ),
    }),
    z.object({
      type: z.literal("speech.audio.done"),
      usage: z.object({
        input_tokens: z.number().int(),
        output_tokens: z.number().int(),
        total_tokens: z.number().int(),
      }),
    }),
    z.object({ type: z.literal("error"), error: S.ErrorResponse.shape.error }),
  ])
  .meta({ description: "One `data:` line of the event stream." });

const registry = (schemas: Record<string, z.ZodType>, io: "input" | "output") => {
  const reg = z.registry<{ id: string }>();
  for (const [id, s] of Object.entries(schemas)) reg.add(s, { id });
  const out = z.toJSONSchema(reg, {
    uri: (id) => `#/components/schemas/${id}`,
    io,
    unrepresentable: "any",
  }).schemas;
  for (const s of Object.values(out)) {
    delete (s as Record<string, unknown>).$schema;
    delete (s as Record<string, unknown>).$id;
  }
  return out;
};

const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });
const json = (id: string, description: string) => ({
  description,
  content: { "application/json": { schema: ref(id) } },
});
const error = (description: string, headers?: Record<string, unknown>) => ({
  ...json("Error", description),
  ...(headers ? { headers } : {}),
});
const retryAfter = {
  "Retry-After": { description: "Seconds to wait before retrying.", schema: { type: "integer" } },
};

export function openApiDocument(opts: DocumentOptions) {
  const schemas = {
    ...registry(
      {
        SpeechRequest: speechRequestDoc(opts.maxInputChars),
        PhonemizeRequest: S.PhonemizeRequest,
        CreateApiKeyRequest: S.CreateApiKeyRequest,
        SubtitlesRequest: RenderRequest,
        JobCreateRequest,
        ParseSubtitlesRequest,
        CreateProjectRequest: P.CreateProjectRequest,
        UpdateProjectRequest: P.UpdateProjectRequest,
      },
      "input",
    ),
    ...registry(
      {
        Error: S.ErrorResponse,
        Voice: S.Voice,
        VoiceList: S.VoiceList,
        Model: S.Model,
        ModelList: S.ModelList,
        PhonemizeResponse: S.PhonemizeResponse,
        ApiKey: S.ApiKey,
        CreatedApiKey: S.CreatedApiKey,
        ApiKeyList: S.ApiKeyList,
        SpeechEvent: SseEvent,
        ParsedSubtitles: P.ParsedSubtitles,
        Project: P.Project,
        ProjectList: P.ProjectList,
      },
      "output",
    ),
    Job: {
      type: "object",
      description:
        "A durable render: id, object 'job', kind, status (queued, running, succeeded, failed, cancelled), progress, options, error, audio (url once succeeded), report.",
      required: ["id", "object", "status"],
      properties: { id: { type: "string" }, object: { const: "job" }, status: { type: "string" } },
    },
  };
  const jobId = { name: "id", in: "path", required: true, schema: { type: "string" } };
  const projectId = { name: "id", in: "path", required: true, schema: { type: "string" } };
  const security = opts.keysRequired ? [{ bearerAuth: [] }] : [{}, { bearerAuth: [] }];
  const common = {
    "401": error("Missing, wrong or revoked API key."),
    "429": error("Rate limit or concurrent-stream cap reached.", retryAfter),
  };
  const bodyErrors = {
    "400": error("A mistake in the request (the code says which)."),
    "413": error("Body larger than the limit."),
    "415": error("Content-Type is not application/json."),
  };
  const queryParams = (schema: z.ZodObject) =>
    Object.entries(schema.shape).map(([name, s]) => {
      const js = z.toJSONSchema(s as z.ZodType, { io: "input" }) as Record<string, unknown>;
      delete js.$schema;
      const description = js.description;
      delete js.description;
      return { name, in: "query", required: false, schema: js, ...(description ? { description } : {}) };
    });
  const audioContent = Object.fromEntries(
    supportedFormats().map((f) => [
      CONTENT_TYPES[f].split(";")[0],
      { schema: { type: "string", contentMediaType: CONTENT_TYPES[f] } },
    ]),
  );
  const speechHeaders = {
    "x-request-id": {
      description: "This request's id (also accepted from the client).",
      schema: { type: "string" },
    },
    "x-kokoro-engine": {
      description: "The engine that spoke (kokoro, fixture, espeak).",
      schema: { type: "string" },
    },
    "x-kokoro-model": { description: "The model used.", schema: { type: "string" } },
    "x-kokoro-model-version": {
      description: "The model's version (content hash).",
      schema: { type: "string" },
    },
    "x-kokoro-voice": {
      description: "The voice resolved (OpenAI names mapped).",
      schema: { type: "string" },
    },
    "x-kokoro-cache": {
      description:
        "Whether the audio came from the chunk cache: hit (every chunk), partial (some), miss (none). A hit is byte-identical to a fresh render. Absent when the synth workers run without a cache (SYNTH_CACHE=false).",
      schema: { type: "string", enum: ["hit", "partial", "miss"] },
    },
  };

  return {
    openapi: "3.1.0",
    info: {
      title: "kokoro-edge",
      version: opts.version ?? "0.1.0",
      summary: "Self-hosted streaming text-to-speech (Kokoro-82M), compatible with OpenAI's audio API.",
      description:
        "Speech streams as it is made: one encoder per response (a single header, continuous frames). " +
        `Errors use OpenAI's JSON shape with a stable code. ${opts.keysRequired ? "API keys are required." : "Open mode: API keys are optional (a valid key is still counted against its own limits)."}`,
    },
    servers: [{ url: "/" }],
    tags: [
      { name: "audio", description: "Speech and phonemes" },
      { name: "catalog", description: "Voices and models" },
      { name: "jobs", description: "Durable renders of long documents" },
      { name: "operations", description: "Health, readiness, metrics, this document" },
      { name: "admin", description: "API keys (needs ADMIN_TOKEN)" },
      { name: "studio", description: "The Studio web app and its saved projects" },
    ],
    paths: {
      "/v1/audio/speech": {
        post: {
          tags: ["audio"],
          operationId: "createSpeech",
          summary: "Speak text, streamed as it is made",
          security,
          requestBody: { required: true, content: { "application/json": { schema: ref("SpeechRequest") } } },
          responses: {
            "200": {
              description:
                "The audio stream (stream_format audio), or server-sent events (stream_format sse).",
              headers: speechHeaders,
              content: {
                ...audioContent,
                "text/event-stream": {
                  schema: {
                    type: "string",
                    description: "Events as `data: <json>` lines; each is a SpeechEvent.",
                  },
                  "x-event-schema": ref("SpeechEvent"),
                },
              },
            },
            ...bodyErrors,
            ...common,
            "503": error("No g2p or synth replica is running.", retryAfter),
          },
        },
      },
      "/v1/audio/phonemize": {
        post: {
          tags: ["audio"],
          operationId: "phonemize",
          summary:
            "The text as Kokoro will read it: normalised words, phonemes, tokens, chunks and word spans",
          security,
          requestBody: {
            required: true,
            content: { "application/json": { schema: ref("PhonemizeRequest") } },
          },
          responses: {
            "200": json("PhonemizeResponse", "The phonemes."),
            ...bodyErrors,
            ...common,
            "503": error("No g2p replica is running.", retryAfter),
          },
        },
      },
      "/v1/voices": {
        get: {
          tags: ["catalog"],
          operationId: "listVoices",
          summary:
            "Voices, with their language, gender, engine and availability, and OpenAI's names mapped onto them",
          security,
          parameters: queryParams(S.VoicesQuery),
          responses: {
            "200": json("VoiceList", "The voices."),
            "400": error("Bad query parameter."),
            ...common,
            "503": error("No synth replica is running.", retryAfter),
          },
        },
      },
      "/v1/models": {
        get: {
          tags: ["catalog"],
          operationId: "listModels",
          summary: "Models (kokoro and its OpenAI aliases)",
          security,
          responses: { "200": json("ModelList", "The models."), ...common },
        },
      },
      "/v1/models/{id}": {
        get: {
          tags: ["catalog"],
          operationId: "getModel",
          summary: "One model",
          security,
          parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }],
          responses: { "200": json("Model", "The model."), "404": error("No such model."), ...common },
        },
      },
      "/v1/audio/subtitles": {
        post: {
          tags: ["audio"],
          operationId: "speakSubtitles",
          summary:
            "Speak a subtitle file (SRT, WebVTT, ASS/SSA) or text: one track, each cue at its time; large documents become a job",
          security,
          requestBody: {
            required: true,
            content: {
              "application/json": { schema: ref("SubtitlesRequest") },
              "multipart/form-data": {
                schema: {
                  type: "object",
                  properties: { file: { type: "string", contentMediaType: "application/octet-stream" } },
                  description:
                    "The file as `file`, the other SubtitlesRequest fields as form fields (speakers as JSON).",
                },
              },
            },
          },
          responses: {
            "200": {
              description: "The audio stream (or server-sent events with per-cue reports).",
              headers: { "x-request-id": speechHeaders["x-request-id"] },
              content: { ...audioContent, "text/event-stream": { schema: { type: "string" } } },
            },
            "202": {
              description: "Run as a job (large document or async: true); Location names it.",
              content: { "application/json": { schema: ref("Job") } },
            },
            ...bodyErrors,
            ...common,
          },
        },
      },
      "/v1/jobs": {
        post: {
          tags: ["jobs"],
          operationId: "createJob",
          summary: "Render a subtitle document or a long text as a durable job (Idempotency-Key honoured)",
          security,
          parameters: [
            { name: "Idempotency-Key", in: "header", required: false, schema: { type: "string" } },
          ],
          requestBody: {
            required: true,
            content: { "application/json": { schema: ref("JobCreateRequest") } },
          },
          responses: {
            "201": { description: "Created.", content: { "application/json": { schema: ref("Job") } } },
            "200": {
              description: "Same Idempotency-Key: the existing job.",
              content: { "application/json": { schema: ref("Job") } },
            },
            ...bodyErrors,
            ...common,
          },
        },
      },
      "/v1/jobs/{id}": {
        get: {
          tags: ["jobs"],
          operationId: "getJob",
          summary: "A job's status and progress",
          security,
          parameters: [
            jobId,
            {
              name: "cues",
              in: "query",
              required: false,
              schema: { type: "boolean" },
              description: "false: leave out the per-cue report.",
            },
          ],
          responses: {
            "200": { description: "The job.", content: { "application/json": { schema: ref("Job") } } },
            "404": error("No such job (for this key)."),
            ...common,
          },
        },
        delete: {
          tags: ["jobs"],
          operationId: "cancelJob",
          summary: "Cancel a job",
          security,
          parameters: [jobId],
          responses: {
            "200": {
              description: "The job, cancelled.",
              content: { "application/json": { schema: ref("Job") } },
            },
            "404": error("No such job."),
            ...common,
          },
        },
      },
      "/v1/jobs/{id}/audio": {
        get: {
          tags: ["jobs"],
          operationId: "getJobAudio",
          summary: "A finished job's audio (Range requests supported)",
          security,
          parameters: [
            jobId,
            { name: "Range", in: "header", required: false, schema: { type: "string" } },
            {
              name: "format",
              in: "query",
              required: false,
              schema: { type: "string", enum: ["m4a"] },
              description:
                "m4a: the audio as AAC in MP4, made by the system ffmpeg (400 m4a_unavailable without it).",
            },
          ],
          responses: {
            "200": { description: "The audio file.", content: audioContent },
            "206": { description: "Part of it.", content: audioContent },
            "404": error("No such job."),
            "409": error("Not finished yet."),
            "410": error("Expired (retention)."),
            ...common,
          },
        },
      },
      "/v1/jobs/{id}/subtitles": {
        get: {
          tags: ["jobs"],
          operationId: "getJobSubtitles",
          summary: "The subtitles re-timed to the speech",
          security,
          parameters: [
            jobId,
            {
              name: "format",
              in: "query",
              required: false,
              schema: { type: "string", enum: ["srt", "vtt"], default: "srt" },
            },
          ],
          responses: {
            "200": {
              description: "SRT or WebVTT.",
              content: {
                "application/x-subrip": { schema: { type: "string" } },
                "text/vtt": { schema: { type: "string" } },
              },
            },
            "404": error("No such job."),
            "409": error("Not finished yet."),
            ...common,
          },
        },
      },
      "/v1/jobs/{id}/events": {
        get: {
          tags: ["jobs"],
          operationId: "jobEvents",
          summary: "Progress as server-sent events until the job ends",
          security,
          parameters: [jobId],
          responses: {
            "200": {
              description: "job.progress, then job.succeeded / job.failed / job.cancelled events.",
              content: { "text/event-stream": { schema: { type: "string" } } },
            },
            "404": error("No such job."),
            ...common,
          },
        },
      },
      "/healthz": {
        get: {
          tags: ["operations"],
          operationId: "health",
          summary: "Liveness",
          responses: { "200": { description: "The process is up." } },
        },
      },
      "/readyz": {
        get: {
          tags: ["operations"],
          operationId: "ready",
          summary: "Readiness: bus, database, g2p and at least one synth replica with a model",
          responses: {
            "200": { description: "Ready." },
            "503": { description: "Not ready; the body says why." },
          },
        },
      },
      "/metrics": {
        get: {
          tags: ["operations"],
          operationId: "metrics",
          summary: "Prometheus metrics",
          responses: {
            "200": {
              description: "Prometheus text format.",
              content: { "text/plain": { schema: { type: "string" } } },
            },
          },
        },
      },
      "/v1/speak": {
        get: {
          tags: ["audio"],
          operationId: "speakRealtime",
          summary: "Realtime speech over a WebSocket (Deepgram's streaming TTS protocol)",
          description:
            "Upgrade to a WebSocket; messages are described in /asyncapi.json. A plain GET is a 426.",
          security,
          responses: {
            "101": { description: "Switching protocols: the socket is open." },
            "400": { description: "A bad query (encoding, sample_rate)." },
            "401": { description: "No valid API key." },
            "426": { description: "Not a WebSocket handshake." },
          },
        },
      },
      "/v1/text-to-speech/{voice_id}/stream-input": {
        get: {
          tags: ["audio"],
          operationId: "streamInputRealtime",
          summary: "Realtime speech over a WebSocket (ElevenLabs' input-streaming protocol)",
          description:
            "Upgrade to a WebSocket; the key may come in the first message. Messages are described in /asyncapi.json. A plain GET is a 426.",
          parameters: [{ name: "voice_id", in: "path", required: true, schema: { type: "string" } }],
          responses: {
            "101": { description: "Switching protocols: the socket is open." },
            "400": { description: "A bad output_format." },
            "426": { description: "Not a WebSocket handshake." },
          },
        },
      },
      "/asyncapi.json": {
        get: {
          tags: ["operations"],
          operationId: "asyncapi",
          summary: "The realtime WebSockets' messages (AsyncAPI 2.6)",
          responses: { "200": { description: "AsyncAPI 2.6." } },
        },
      },
      "/openapi.json": {
        get: {
          tags: ["operations"],
          operationId: "openapi",
          summary: "This document",
          responses: { "200": { description: "OpenAPI 3.1." } },
        },
      },
      "/v1/subtitles/parse": {
        post: {
          tags: ["audio"],
          operationId: "parseSubtitles",
          summary:
            "Parse a subtitle file (SRT, WebVTT, ASS/SSA) or text into cues without rendering; a file with no usable cue is a 400 naming the line",
          security,
          requestBody: {
            required: true,
            content: {
              "application/json": { schema: ref("ParseSubtitlesRequest") },
              "multipart/form-data": {
                schema: {
                  type: "object",
                  properties: {
                    file: { type: "string", contentMediaType: "application/octet-stream" },
                    format: { type: "string" },
                  },
                  description: "The file as `file`; optional `format`.",
                },
              },
            },
          },
          responses: {
            "200": json("ParsedSubtitles", "The cues, detected format and warnings (with line numbers)."),
            ...bodyErrors,
            ...common,
          },
        },
      },
      "/v1/projects": {
        get: {
          tags: ["studio"],
          operationId: "listProjects",
          summary: "The caller's studio projects, newest first",
          security,
          responses: {
            "200": json("ProjectList", "The projects (without their documents)."),
            ...common,
            "503": error("No database."),
          },
        },
        post: {
          tags: ["studio"],
          operationId: "createProject",
          summary: "Save a studio project (document, edits, voice map)",
          security,
          requestBody: {
            required: true,
            content: { "application/json": { schema: ref("CreateProjectRequest") } },
          },
          responses: {
            "201": json("Project", "Created."),
            ...bodyErrors,
            "409": error("Too many projects."),
            ...common,
            "503": error("No database."),
          },
        },
      },
      "/v1/projects/{id}": {
        get: {
          tags: ["studio"],
          operationId: "getProject",
          summary: "One project with its document",
          security,
          parameters: [projectId],
          responses: {
            "200": json("Project", "The project."),
            "404": error("No such project (for this key)."),
            ...common,
          },
        },
        patch: {
          tags: ["studio"],
          operationId: "updateProject",
          summary: "Rename a project or replace its document",
          security,
          parameters: [projectId],
          requestBody: {
            required: true,
            content: { "application/json": { schema: ref("UpdateProjectRequest") } },
          },
          responses: {
            "200": json("Project", "The project."),
            ...bodyErrors,
            "404": error("No such project."),
            ...common,
          },
        },
        delete: {
          tags: ["studio"],
          operationId: "deleteProject",
          summary: "Delete a project",
          security,
          parameters: [projectId],
          responses: { "200": { description: "Deleted." }, "404": error("No such project."), ...common },
        },
      },
      "/": {
        get: {
          tags: ["studio"],
          operationId: "home",
          summary: "The Studio web app: upload, edit, listen to and export speech",
          responses: {
            "200": { description: "HTML." },
            "503": error("This runtime cannot build the studio (Bun only)."),
          },
        },
      },
      "/studio": {
        get: {
          tags: ["studio"],
          operationId: "studio",
          summary: "The Studio web app (same as /)",
          responses: { "200": { description: "HTML." } },
        },
      },
      "/studio/": {
        get: {
          tags: ["studio"],
          operationId: "studioSlash",
          summary: "The Studio web app (same as /)",
          responses: { "200": { description: "HTML." } },
        },
      },
      "/studio/app.js": {
        get: {
          tags: ["studio"],
          operationId: "studioScript",
          summary: "The Studio's JavaScript (built from TypeScript at first request)",
          responses: { "200": { description: "JavaScript." } },
        },
      },
      "/studio/app.css": {
        get: {
          tags: ["studio"],
          operationId: "studioStyles",
          summary: "The Studio's styles and themes",
          responses: { "200": { description: "CSS." } },
        },
      },
      "/docs": {
        get: {
          tags: ["operations"],
          operationId: "docs",
          summary: "This document as a page, with a streaming player",
          responses: { "200": { description: "HTML." } },
        },
      },
      "/admin/keys": {
        get: {
          tags: ["admin"],
          operationId: "listApiKeys",
          summary: "List API keys",
          security: [{ adminToken: [] }],
          parameters: [
            { name: "include_revoked", in: "query", required: false, schema: { type: "boolean" } },
          ],
          responses: { "200": json("ApiKeyList", "The keys (never their secrets)."), ...adminErrors() },
        },
        post: {
          tags: ["admin"],
          operationId: "createApiKey",
          summary: "Create an API key (the secret is in this response only)",
          security: [{ adminToken: [] }],
          requestBody: {
            required: true,
            content: { "application/json": { schema: ref("CreateApiKeyRequest") } },
          },
          responses: {
            "201": json("CreatedApiKey", "The new key, with its secret."),
            "400": error("Bad request."),
            ...adminErrors(),
          },
        },
      },
      "/admin/keys/{ref}": {
        delete: {
          tags: ["admin"],
          operationId: "revokeApiKey",
          summary: "Revoke an API key by id or prefix",
          security: [{ adminToken: [] }],
          parameters: [
            {
              name: "ref",
              in: "path",
              required: true,
              schema: { type: "string" },
              description: "The key's id, or its displayed prefix.",
            },
          ],
          responses: {
            "200": json("ApiKey", "The revoked key."),
            "409": error("The prefix matches several keys."),
            ...adminErrors(),
          },
        },
      },
    },
    components: {
      schemas,
      securitySchemes: {
        bearerAuth: {
          type: "http",
          scheme: "bearer",
          description: "An API key: Authorization: Bearer ke_...",
        },
        adminToken: { type: "http", scheme: "bearer", description: "The gateway's ADMIN_TOKEN." },
      },
    },
  };

  function adminErrors() {
    return {
      "401": error("No admin token."),
      "403": error("Wrong admin token."),
      "404": error("Admin routes disabled (no ADMIN_TOKEN), or no such key."),
      "503": error("No database."),
    };
  }
}
