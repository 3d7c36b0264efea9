/** Wire contract version. Every message carries it (JSON field `v` or header `ke-v`). */
export const CONTRACT_VERSION = 1 as const;

/** Kokoro's output sample rate, and the frame size its durations are counted in. */
export const SAMPLE_RATE = 24_000;
export const SAMPLES_PER_FRAME = 600;
/** Kokoro's context: at most 510 tokens between the two pad tokens. */
export const MAX_CHUNK_TOKENS = 510;
/** NATS's default max_payload is 1 MiB; we stay well under it (headers included). */
export const MAX_PAYLOAD_BYTES = 1_000_000;
/** Audio messages carry at most this many PCM bytes (s16le: 131,072 samples = 5.46 s). */
export const MAX_AUDIO_BYTES_PER_MESSAGE = 262_144;
