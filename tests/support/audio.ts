/** Read a streamed WAV (unknown-length header) or raw PCM into samples. */
export function pcmFromWav(bytes: Uint8Array): { sampleRate: number; pcm: Int16Array } {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tag = (o: number) => String.fromCharCode(bytes[o]!, bytes[o + 1]!, bytes[o + 2]!, bytes[o + 3]!);
  if (tag(0) !== "RIFF" || tag(8) !== "WAVE") throw new Error("not a WAV stream");
  let o = 12;
  let sampleRate = 0;
  while (o + 8 <= bytes.length) {
    const id = tag(o);
    const size = dv.getUint32(o + 4, true);
    if (id === "fmt ") sampleRate = dv.getUint32(o + 12, true);
    if (id === "data") {
      const data = bytes.slice(o + 8);
      return { sampleRate, pcm: new Int16Array(data.buffer, 0, data.byteLength >> 1) };
    }
    o += 8 + size + (size % 2);
  }
  throw new Error("WAV stream has no data chunk");
}

export function pcmFromRaw(bytes: Uint8Array): Int16Array {
  const copy = bytes.slice(0, bytes.byteLength & ~1);
  return new Int16Array(copy.buffer);
}
