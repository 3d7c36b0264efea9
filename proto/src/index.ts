/** The wire contracts, listed name by name (as nats.js lists its own): an export is added here on purpose. */
export {
  CONTRACT_VERSION,
  MAX_AUDIO_BYTES_PER_MESSAGE,
  MAX_CHUNK_TOKENS,
  MAX_PAYLOAD_BYTES,
  SAMPLE_RATE,
  SAMPLES_PER_FRAME,
} from "./version";
export { queues, subjects } from "./subjects";
export { contracts, type EventContract, type RequestContract, type StreamContract } from "./contracts";
export { contractVersion, ErrorReply, Ping, ServiceStatus, WireError } from "./common";
export {
  G2pChunk,
  G2pReply,
  G2pRequest,
  G2pResult,
  g2pResultFromChunks,
  G2pStreamAccept,
  G2pStreamEnd,
  G2pWord,
  Language,
  phonemizeView,
  type PhonemizeView,
} from "./g2p";
export {
  SPEED_MAX,
  SPEED_MIN,
  SynthChunk,
  SynthEnd,
  SynthRequest,
  SynthResume,
  SynthStart,
  SynthVoicesReply,
  SynthVoicesResult,
  SynthWord,
  SynthWords,
  VoiceInfo,
  WordTiming,
  type SynthRequestInput,
} from "./synth";
export {
  audioMessageHeaders,
  endMessageHeaders,
  readAudioMessage,
  synthMessageType,
  SynthMessageType,
  wordsMessageHeaders,
  type AudioMessage,
} from "./synth-messages";
export {
  MirrorCurrentReply,
  MirrorCurrentRequest,
  MirrorCurrentResult,
  MirrorFile,
  MirrorLookupReply,
  MirrorLookupRequest,
  MirrorLookupResult,
  MirrorUpdated,
  MirrorVersion,
} from "./mirror";
export {
  DEFAULT_DTYPE,
  Dtype,
  dtypeOfPath,
  DTYPES,
  KOKORO_REPO,
  KOKORO_V1_VOICES,
  MISAKI_COMMIT,
  MISAKI_LEXICONS,
  MISAKI_REPO,
  misakiLexiconPath,
  MODEL_VARIANTS,
  TOKENIZER_FILE,
  VOICE_PREFIX_LANGUAGE,
  voiceLanguage,
} from "./kokoro";
export { JobEvent } from "./jobs";
export { KeyRevoked } from "./keys";
