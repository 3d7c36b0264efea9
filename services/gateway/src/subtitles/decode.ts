/**
 * Bytes to text for subtitle files: UTF-8 with or without BOM, UTF-16 LE/BE
 * with a BOM or detected from the pattern of zero bytes, and Windows-1252 as a
 * last resort for legacy 8-bit files that are not valid UTF-8. Line ends are
 * normalised to "\n".
 */

export interface DecodedText {
  text: string;
  encoding: "utf-8" | "utf-16le" | "utf-16be" | "windows-1252" | "string";
  /** Set when the bytes were not clean in the chosen encoding. */
  warning?: string;
}

/** CRLF and lone CR become LF; a leading BOM character is dropped. */
export function normalizeNewlines(text: string): string {
  const s = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  return s.replace(/\r\n?/g, "\n");
}

/**
 * Guess UTF-16 without a BOM: text in Latin scripts has a zero byte in every
 * other position. Looks at the first 4 KiB.
 */
function sniffUtf16(bytes: Uint8Array): "utf-16le" | "utf-16be" | undefined {
  const n = Math.min(bytes.length, 4096) & ~1;
  if (n < 4) return undefined;
  let zeroEven = 0;
  let zeroOdd = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) zeroEven++;
    if (bytes[i + 1] === 0) zeroOdd++;
  }
  const pairs = n / 2;
  if (zeroOdd > pairs * 0.3 && zeroEven < pairs * 0.05) return "utf-16le";
  if (zeroEven > pairs * 0.3 && zeroOdd < pairs * 0.05) return "utf-16be";
  return undefined;
}

function decodeUtf16(bytes: Uint8Array, enc: "utf-16le" | "utf-16be"): string {
  // An odd trailing byte cannot be decoded; TextDecoder turns it into U+FFFD.
  return new TextDecoder(enc).decode(bytes);
}

export function decodeSubtitleBytes(input: Uint8Array | string): DecodedText {
  if (typeof input === "string") return { text: normalizeNewlines(input), encoding: "string" };
  const b = input;
  if (b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) {
    return utf8(b.subarray(3));
  }
  if (b.length >= 2 && b[0] === 0xff && b[1] === 0xfe) {
    return { text: normalizeNewlines(decodeUtf16(b.subarray(2), "utf-16le")), encoding: "utf-16le" };
  }
  if (b.length >= 2 && b[0] === 0xfe && b[1] === 0xff) {
    return { text: normalizeNewlines(decodeUtf16(b.subarray(2), "utf-16be")), encoding: "utf-16be" };
  }
  const sniffed = sniffUtf16(b);
  if (sniffed) return { text: normalizeNewlines(decodeUtf16(b, sniffed)), encoding: sniffed };
  return utf8(b);
}

function utf8(b: Uint8Array): DecodedText {
  try {
    return {
      text: normalizeNewlines(new TextDecoder("utf-8", { fatal: true }).decode(b)),
      encoding: "utf-8",
    };
  } catch {
    // Not valid UTF-8: most such subtitle files are Windows-1252 (Latin-1 superset).
    return {
      text: normalizeNewlines(new TextDecoder("windows-1252").decode(b)),
      encoding: "windows-1252",
      warning: "file is not valid UTF-8 or UTF-16; read as Windows-1252",
    };
  }
}
