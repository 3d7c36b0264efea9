/**
 * Kokoro ONNX exports differ only in names. Read them from the session so real
 * weights and the fixture model take exactly the same path.
 *   onnx-community: input_ids, style, speed -> waveform [, durations]
 *   kokoro-onnx:    tokens,    style, speed -> audio    [, durations]
 */
export interface ModelSignature {
  naming: "onnx-community" | "kokoro-onnx";
  tokens: string;
  style: string;
  speed: string;
  audio: string;
  durations?: string;
}

export function detectSignature(
  inputNames: readonly string[],
  outputNames: readonly string[],
): ModelSignature {
  const has = (list: readonly string[], n: string) => list.includes(n);
  const tokens = has(inputNames, "input_ids")
    ? "input_ids"
    : has(inputNames, "tokens")
      ? "tokens"
      : undefined;
  const audio = has(outputNames, "waveform") ? "waveform" : has(outputNames, "audio") ? "audio" : undefined;
  if (!tokens || !has(inputNames, "style") || !has(inputNames, "speed") || !audio) {
    throw new Error(
      `not a Kokoro model: inputs [${inputNames.join(", ")}], outputs [${outputNames.join(", ")}]; ` +
        "expected input_ids|tokens, style, speed -> waveform|audio",
    );
  }
  return {
    naming: tokens === "input_ids" ? "onnx-community" : "kokoro-onnx",
    tokens,
    style: "style",
    speed: "speed",
    audio,
    durations: has(outputNames, "durations") ? "durations" : undefined,
  };
}
