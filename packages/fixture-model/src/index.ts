// @kokoro-edge/fixture-model: a tiny ONNX model with Kokoro-82M's signature whose audio encodes
// the input tokens (one Hann-shaped tone per token), plus a decoder to read them back.

export {
  AMPLITUDE,
  BASE_HZ,
  FRAME_SAMPLES,
  MAX_TOKENS,
  SAMPLE_RATE,
  STEP_HZ,
  VOCAB_SIZE,
  expectedDurations,
  expectedSamples,
  styleShiftHz,
  tokenFrequencyHz,
} from "./contract.ts";
export {
  calibrateWork,
  measureRtf,
  measureRtfStats,
  type CalibrationResult,
  type RtfOptions,
} from "./calibrate.ts";
export { decodeTokens, type DecodeOptions, type DecodeResult, type DecodedSegment } from "./decode.ts";
export {
  ensureFixtureModel,
  fixtureFileName,
  generateFixtureModel,
  writeFixtureModel,
  type FixtureOptions,
} from "./generate.ts";
export { IO_NAMES, type Naming } from "./graph.ts";
export { renderReference } from "./reference.ts";
