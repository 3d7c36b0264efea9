/** Voice packs: float32 [510, 1, 256]; row n is the style for n tokens. */
export const STYLE_ROWS = 510;
export const STYLE_DIM = 256;
export const VOICE_PACK_BYTES = STYLE_ROWS * STYLE_DIM * 4;

/** Kokoro's rule: the row is the number of tokens (without pads), clamped to the pack. */
export function styleRow(nTokens: number): number {
  return Math.max(0, Math.min(nTokens, STYLE_ROWS - 1));
}

/** The style vector for `nTokens` tokens, as a weighted mix of packs (weights sum to 1). */
export function styleFor(packs: { pack: Float32Array; weight: number }[], nTokens: number): Float32Array {
  const row = styleRow(nTokens) * STYLE_DIM;
  const out = new Float32Array(STYLE_DIM);
  for (const { pack, weight } of packs) {
    for (let i = 0; i < STYLE_DIM; i++) out[i]! += pack[row + i]! * weight;
  }
  return out;
}

export function packFromBytes(bytes: Uint8Array): Float32Array {
  if (bytes.byteLength !== VOICE_PACK_BYTES) {
    throw new Error(
      `voice pack must be ${VOICE_PACK_BYTES} bytes (float32 [510,1,256]), got ${bytes.byteLength}`,
    );
  }
  // Copy into an aligned buffer (file buffers may be views at odd offsets), little-endian floats.
  const out = new Float32Array(STYLE_ROWS * STYLE_DIM);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(i * 4, true);
  return out;
}
