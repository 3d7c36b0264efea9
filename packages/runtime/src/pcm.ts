/** s16le bytes as samples (copied when the bytes are not 2-byte aligned). */
export function int16FromBytes(data: Uint8Array): Int16Array {
  const n = data.byteLength >> 1;
  if (data.byteOffset % 2 === 0) return new Int16Array(data.buffer, data.byteOffset, n);
  return new Int16Array(data.slice(0, n * 2).buffer);
}

export function bytesFromInt16(pcm: Int16Array): Uint8Array {
  return new Uint8Array(pcm.buffer, pcm.byteOffset, pcm.byteLength);
}

export function concatInt16(parts: Int16Array[]): Int16Array {
  const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
