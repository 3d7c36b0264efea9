/**
 * The public API's shapes as zod schemas: routes validate with them and the
 * OpenAPI document is generated from them, so the two cannot drift apart.
 */
import { z } from "zod";
import { MODEL_ALIASES, OPENAI_VOICES } from "../speech/request";
import { Language } from "@kokoro-edge/proto";

/** The languages, for the descriptions of every `language` field. */
export const LANGUAGES_DOC = `One of Kokoro's nine languages: ${Language.options.join(", ")} (also accepted: a voice prefix letter such as "e", tags such as "fr" or "zh-cn", and names such as "spanish"). Default: the language of the voice, from its first letter.`;

export const ErrorResponse = z
  .object({
    error: z.object({
      message: z.string(),
      type: z.enum([
        "invalid_request_error",
        "authentication_error",
        "permission_error",
        "rate_limit_error",
        "server_error",
      ]),
      param: z.string().nullable(),
      code: z.string().meta({
        description: "Stable machine-readable code, e.g. input_too_long, unknown_voice, rate_limit_exceeded.",
      }),
    }),
  })
  .meta({ id: "Error", description: "Every error, in OpenAI's shape." });

export const Voice = z
  .object({
    id: z.string().meta({ description: "The name to pass as `voice` (same as `name`)." }),
    object: z.literal("voice"),
    name: z.string(),
    language: z.string().meta({
      description:
        "The language the voice speaks, as `language` takes it: en-us, en-gb, es, fr-fr, hi, it, pt-br, ja, zh.",
    }),
    gender: z.enum(["female", "male", "unknown"]),
    engine: z.string().meta({ description: "The engine that would speak it now." }),
    available: z
      .boolean()
      .meta({ description: "False when the current engine cannot speak this voice's language." }),
  })
  .meta({ id: "Voice" });

export const VoiceList = z
  .object({
    object: z.literal("list"),
    engine: z.string(),
    data: z.array(Voice),
    openai_voices: z
      .array(z.object({ name: z.string(), voice: z.string(), available: z.boolean() }))
      .meta({ description: "OpenAI's voice names and the Kokoro voice each one is spoken with." }),
  })
  .meta({ id: "VoiceList" });

export const VoicesQuery = z.object({
  language: z.string().optional().meta({
    description:
      'Only voices of this language: a tag (en-us, es, fr-fr, ja...) or its primary language ("en" finds both Englishes, "fr" French).',
  }),
  available: z
    .enum(["true", "false"])
    .optional()
    .meta({ description: "Only voices the current engine can (true) or cannot (false) speak." }),
});

export const Model = z
  .object({
    id: z.string(),
    object: z.literal("model"),
    created: z.number().int(),
    owned_by: z.string(),
    alias_of: z
      .string()
      .optional()
      .meta({ description: "Set on OpenAI model names accepted as aliases of kokoro." }),
  })
  .meta({ id: "Model" });

export const ModelList = z
  .object({ object: z.literal("list"), data: z.array(Model) })
  .meta({ id: "ModelList" });

export const PhonemizeRequest = z
  .object({
    input: z.string().meta({ description: "The text, as for /v1/audio/speech." }),
    voice: z.string().min(1).optional().meta({
      description: "Picks the language from the voice name (first letter) when `language` is absent.",
    }),
    language: z.string().min(1).optional().meta({ description: LANGUAGES_DOC }),
    pronunciations: z
      .record(z.string(), z.string())
      .optional()
      .meta({ description: "Per-request lexicon: word -> phonemes in Kokoro's alphabet." }),
  })
  .meta({ id: "PhonemizeRequest" });

const PhonemizeWord = z.object({
  text: z.string().meta({ description: "The original text of the word (input.slice(start, end))." }),
  start: z.number().int().meta({ description: "Character offset into `input` (UTF-16 code units)." }),
  end: z.number().int(),
  normalized: z.string(),
  phonemes: z.string(),
});

export const PhonemizeResponse = z
  .object({
    language: z.string(),
    warnings: z.array(z.string()).optional().meta({
      description:
        "Present when the text does not fit its language (another script, or plainly another language's words): it is still read, and this says why it may sound wrong and which language would fit.",
    }),
    normalized: z.string().meta({ description: "The text as it will be spoken." }),
    phonemes: z.string(),
    tokens: z.array(z.number().int()).meta({ description: "Token ids of all chunks, in order." }),
    chunks: z.array(
      z.object({
        text: z.string(),
        normalized: z.string(),
        phonemes: z.string(),
        tokens: z.array(z.number().int()),
        pause_after_s: z.number(),
        words: z.array(PhonemizeWord),
      }),
    ),
  })
  .meta({ id: "PhonemizeResponse" });

export const ApiKey = z
  .object({
    id: z.string(),
    name: z.string(),
    prefix: z.string().meta({ description: "The key's first characters, to tell keys apart." }),
    created_at: z.string(),
    revoked_at: z.string().nullable(),
    rate_limit_per_minute: z
      .number()
      .int()
      .nullable()
      .meta({ description: "null: the gateway's RATE_LIMIT_RPM." }),
    max_streams: z
      .number()
      .int()
      .nullable()
      .meta({ description: "null: the gateway's MAX_STREAMS_PER_KEY." }),
  })
  .meta({ id: "ApiKey" });

export const CreatedApiKey = ApiKey.extend({
  key: z.string().meta({ description: "The secret key. Shown only once: store it now." }),
}).meta({ id: "CreatedApiKey" });

export const ApiKeyList = z
  .object({ object: z.literal("list"), data: z.array(ApiKey) })
  .meta({ id: "ApiKeyList" });

export const CreateApiKeyRequest = z
  .object({
    name: z.string().trim().min(1, "name is required").max(200),
    rate_limit_per_minute: z
      .number()
      .int()
      .min(0)
      .max(1_000_000)
      .nullable()
      .optional()
      .meta({ description: "0 = unlimited; absent or null = the default." }),
    max_streams: z
      .number()
      .int()
      .min(0)
      .max(100_000)
      .nullable()
      .optional()
      .meta({ description: "0 = unlimited; absent or null = the default." }),
  })
  .meta({ id: "CreateApiKeyRequest" });

export const modelIds = MODEL_ALIASES;
export const openaiVoiceNames = Object.keys(OPENAI_VOICES);
