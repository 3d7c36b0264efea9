const encoder = new TextEncoder();
const decoder = new TextDecoder();

export const encodeJson = (value: unknown): Uint8Array => encoder.encode(JSON.stringify(value));

export function decodeJson(data: Uint8Array): unknown {
  return JSON.parse(decoder.decode(data));
}
