/**
 * G.711 µ-law and A-law (ITU-T G.711), the telephony encodings at 8 kHz that
 * Twilio-style voice agents send on. One byte per sample. The decoders are
 * here for tests and for clients in this repo (the demo page does its own).
 */

const BIAS = 0x84;
const CLIP = 32635;

export function mulawEncodeSample(sample: number): number {
  let s = sample;
  const sign = s < 0 ? 0x80 : 0;
  if (sign) s = -s;
  if (s > CLIP) s = CLIP;
  s += BIAS;
  let exponent = 7;
  for (let mask = 0x4000; (s & mask) === 0 && exponent > 0; mask >>= 1) exponent--;
  const mantissa = (s >> (exponent + 3)) & 0x0f;
  return ~(sign | (exponent << 4) | mantissa) & 0xff;
}

export function mulawDecodeSample(byte: number): number {
  const u = ~byte & 0xff;
  const sign = u & 0x80;
  const exponent = (u >> 4) & 0x07;
  const mantissa = u & 0x0f;
  const s = (((mantissa << 3) + BIAS) << exponent) - BIAS;
  return sign ? -s : s;
}

export function alawEncodeSample(sample: number): number {
  let s = sample;
  const sign = s >= 0 ? 0x80 : 0;
  if (!sign) s = -s - 1;
  if (s > 32767) s = 32767;
  let out: number;
  if (s < 256) out = s >> 4;
  else {
    let exponent = 7;
    for (let mask = 0x4000; (s & mask) === 0 && exponent > 1; mask >>= 1) exponent--;
    out = (exponent << 4) | ((s >> (exponent + 3)) & 0x0f);
  }
  return (out | sign) ^ 0x55;
}

export function alawDecodeSample(byte: number): number {
  const a = byte ^ 0x55;
  const sign = a & 0x80;
  const exponent = (a >> 4) & 0x07;
  const mantissa = a & 0x0f;
  let s = exponent === 0 ? (mantissa << 4) + 8 : ((mantissa << 4) + 0x108) << (exponent - 1);
  return sign ? s : -s;
}

export function encodeG711(pcm: Int16Array, law: "mulaw" | "alaw"): Uint8Array {
  const out = new Uint8Array(pcm.length);
  const f = law === "mulaw" ? mulawEncodeSample : alawEncodeSample;
  for (let i = 0; i < pcm.length; i++) out[i] = f(pcm[i]!);
  return out;
}

export function decodeG711(bytes: Uint8Array, law: "mulaw" | "alaw"): Int16Array {
  const out = new Int16Array(bytes.length);
  const f = law === "mulaw" ? mulawDecodeSample : alawDecodeSample;
  for (let i = 0; i < bytes.length; i++) out[i] = f(bytes[i]!);
  return out;
}
