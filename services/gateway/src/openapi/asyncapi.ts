/**
 * GET /asyncapi.json: the realtime WebSockets (Deepgram's streaming TTS
 * protocol on /v1/speak, ElevenLabs' input streaming on stream-input) as an
 * AsyncAPI 2.6 document, beside the OpenAPI one (which cannot describe
 * messages on a socket). Written by hand from the same facts the handlers
 * enforce; the test checks its channels and message names against them.
 */

const str = (description: string, extra: Record<string, unknown> = {}) => ({
  type: "string",
  description,
  ...extra,
});
const obj = (properties: Record<string, unknown>, required: string[] = [], description?: string) => ({
  type: "object",
  properties,
  required,
  ...(description ? { description } : {}),
});
const msg = (name: string, summary: string, payload: unknown, contentType = "application/json") => ({
  name,
  title: name,
  summary,
  contentType,
  payload,
});

export function asyncApiDocument(opts: { keysRequired: boolean; maxInputChars: number }) {
  const auth = opts.keysRequired
    ? "An API key is required."
    : "Open mode: a key is optional (a valid one is counted against its own limits).";
  return {
    asyncapi: "2.6.0",
    info: {
      title: "kokoro-edge realtime speech",
      version: "0.1.0",
      description:
        "Text in as an LLM writes it, speech out as soon as a phrase is known, on the same pipeline, scheduler and failover as POST /v1/audio/speech. " +
        "A phrase ends at a sentence end, or at a comma, semicolon, colon, dash or line break once it has enough words (REALTIME_MIN_CLAUSE_WORDS) and g2p loses no context there; " +
        "never inside a number, decimal, URL or abbreviation. Buffered text is spoken after REALTIME_IDLE_FLUSH_MS without new text. " +
        `Close codes: 1000 normal or idle (REALTIME_IDLE_TIMEOUT_S), 1008 policy (auth, REALTIME_MAX_SOCKETS_PER_KEY, REALTIME_CHARS_PER_MINUTE), 1009 message over 1 MiB, 1011 server error. ${auth}`,
    },
    defaultContentType: "application/json",
    channels: {
      "/v1/speak": {
        description:
          "Deepgram's streaming TTS protocol: clients built for it work with a changed base URL. Auth: `Authorization: Token <key>` or `Bearer <key>`, or `Sec-WebSocket-Protocol: token, <key>` (browsers; the server answers `token`).",
        bindings: {
          ws: {
            method: "GET",
            query: obj({
              model: str(
                "A Kokoro voice (af_heart), a mix, an OpenAI voice name, or a Deepgram Aura name (aura-2-thalia-en), mapped to a Kokoro voice with a Warning.",
                { default: "af_heart" },
              ),
              encoding: str("Audio encoding of the binary frames.", {
                enum: ["linear16", "mulaw", "alaw"],
                default: "linear16",
              }),
              sample_rate: {
                type: "integer",
                description:
                  "linear16: 8000, 16000, 24000 (Kokoro's own) or 48000, resampled; mulaw and alaw: 8000.",
                default: 24000,
              },
              speed: { type: "number", minimum: 0.5, maximum: 2, default: 1 },
              language: str(
                "g2p language (en-us, en-gb, es, fr-fr, hi, it, pt-br, ja, zh); default from the voice.",
              ),
            }),
          },
        },
        publish: {
          summary: "What the client sends",
          message: {
            oneOf: [
              msg(
                "Speak",
                `Text to add; any piece size. At most ${opts.maxInputChars} characters per message and waiting for a phrase end.`,
                obj({ type: { const: "Speak" }, text: { type: "string" } }, ["type", "text"]),
              ),
              msg(
                "Flush",
                "Speak everything buffered; Flushed follows the audio.",
                obj({ type: { const: "Flush" } }, ["type"]),
              ),
              msg(
                "Clear",
                "Barge-in: stop the audio now (no frame of the old turn after Cleared) and drop the buffered text. The socket stays usable.",
                obj({ type: { const: "Clear" } }, ["type"]),
              ),
              msg(
                "Close",
                "Speak what is buffered, then close (1000).",
                obj({ type: { const: "Close" } }, ["type"]),
              ),
            ],
          },
        },
        subscribe: {
          summary: "What the server sends",
          message: {
            oneOf: [
              msg(
                "Audio",
                "Binary frame: audio in the requested encoding and rate, continuous across a turn's phrases.",
                { type: "string", format: "binary" },
                "application/octet-stream",
              ),
              msg(
                "Metadata",
                "First message after the handshake.",
                obj(
                  {
                    type: { const: "Metadata" },
                    request_id: { type: "string" },
                    model_name: { type: "string" },
                    model_version: { type: "string" },
                    model_uuid: { type: "string" },
                  },
                  ["type", "request_id"],
                ),
              ),
              msg(
                "Flushed",
                "All audio for the text before a Flush has been sent; sequence_id counts the socket's Flushes from 0.",
                obj({ type: { const: "Flushed" }, sequence_id: { type: "integer" } }, [
                  "type",
                  "sequence_id",
                ]),
              ),
              msg(
                "Cleared",
                "Answer to Clear: the old turn's audio has stopped.",
                obj({ type: { const: "Cleared" }, sequence_id: { type: "integer" } }, [
                  "type",
                  "sequence_id",
                ]),
              ),
              msg(
                "Warning",
                "A message was ignored (INVALID_JSON, UNKNOWN_MESSAGE_TYPE, INVALID_MESSAGE, BINARY_NOT_SUPPORTED, TEXT_TOO_LONG, BUFFER_FULL, CLOSING) or a model name was mapped (MODEL_MAPPED).",
                obj(
                  { type: { const: "Warning" }, code: { type: "string" }, description: { type: "string" } },
                  ["type", "code", "description"],
                ),
              ),
              msg(
                "Error",
                "A phrase could not be spoken (the error's code, as in HTTP errors), or a limit was hit just before a 1008 close.",
                obj({ type: { const: "Error" }, code: { type: "string" }, description: { type: "string" } }, [
                  "type",
                  "code",
                  "description",
                ]),
              ),
              msg(
                "Timestamps",
                "Our extension (clients ignore unknown types): word timings in seconds from the start of the turn's audio; char_start/char_end index the turn's text.",
                obj(
                  {
                    type: { const: "Timestamps" },
                    words: {
                      type: "array",
                      items: obj({
                        word: { type: "string" },
                        start: { type: "number" },
                        end: { type: "number" },
                        char_start: { type: "integer" },
                        char_end: { type: "integer" },
                      }),
                    },
                  },
                  ["type", "words"],
                ),
              ),
            ],
          },
        },
      },
      "/v1/text-to-speech/{voice_id}/stream-input": {
        description:
          "ElevenLabs' input-streaming protocol. The key may come in the first message (xi_api_key, or authorization: 'Bearer <key>') or as an xi-api-key / Authorization header. One turn per socket: the socket closes (1000) after isFinal.",
        parameters: {
          voice_id: { description: "A Kokoro voice, mix or OpenAI voice name.", schema: { type: "string" } },
        },
        bindings: {
          ws: {
            method: "GET",
            query: obj({
              output_format: str(
                "pcm_8000, pcm_16000, pcm_22050, pcm_24000, pcm_44100, pcm_48000, ulaw_8000, alaw_8000, mp3_22050_32, mp3_44100_32/64/96/128/192.",
                { default: "mp3_44100_128" },
              ),
              inactivity_timeout: {
                type: "integer",
                minimum: 1,
                maximum: 180,
                description: "Seconds without a message before the socket is closed.",
              },
              language_code: str("g2p language."),
              model_id: str("Accepted and ignored."),
            }),
          },
        },
        publish: {
          summary: "What the client sends",
          message: {
            oneOf: [
              msg(
                "InitializeConnection",
                "First message: settings (voice_settings.speed is used; the rest is accepted) and the key.",
                obj(
                  {
                    text: { type: "string", description: "Usually a single space." },
                    xi_api_key: { type: "string" },
                    authorization: { type: "string" },
                    voice_settings: { type: "object" },
                    generation_config: { type: "object" },
                  },
                  ["text"],
                ),
              ),
              msg(
                "SendText",
                "More text; flush: true speaks what is buffered without ending.",
                obj(
                  {
                    text: { type: "string", minLength: 1 },
                    flush: { type: "boolean" },
                    try_trigger_generation: { type: "boolean" },
                  },
                  ["text"],
                ),
              ),
              msg(
                "CloseConnection",
                "End of input: speak the rest, send isFinal, close.",
                obj({ text: { const: "" } }, ["text"]),
              ),
            ],
          },
        },
        subscribe: {
          summary: "What the server sends",
          message: {
            oneOf: [
              msg(
                "AudioOutput",
                "Audio in the output format, base64, with the characters it speaks; times in ms from the start of the audio.",
                obj(
                  {
                    audio: { type: "string", contentEncoding: "base64" },
                    isFinal: { type: "boolean", const: false },
                    alignment: {
                      oneOf: [
                        { type: "null" },
                        obj({
                          chars: { type: "array", items: { type: "string" } },
                          charStartTimesMs: { type: "array", items: { type: "integer" } },
                          charDurationsMs: { type: "array", items: { type: "integer" } },
                        }),
                      ],
                    },
                    normalizedAlignment: {
                      description: "The same as alignment (word timings come from the original text).",
                    },
                  },
                  ["audio"],
                ),
              ),
              msg(
                "FinalOutput",
                "Everything has been spoken; the socket closes next.",
                obj({ isFinal: { const: true } }, ["isFinal"]),
              ),
              msg(
                "Error",
                "A message was ignored or the connection is refused (then closed with 1008).",
                obj({ error: { type: "string" }, message: { type: "string" } }, ["error", "message"]),
              ),
            ],
          },
        },
      },
    },
  };
}
