/**
 * A file that is not text (an image, a video, an archive) decodes to a string
 * full of control characters. Parsing it "as text" would turn it into cues of
 * noise, so the parse endpoint refuses it with a clear message instead.
 */
export function looksBinary(text: string): boolean {
  const n = Math.min(text.length, 8192);
  if (n === 0) return false;
  let control = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0) return true;
    // Tab, LF, CR are text; other C0 controls and U+FFFD (undecodable bytes) are not.
    if ((c < 32 && c !== 9 && c !== 10 && c !== 13) || c === 0xfffd) control++;
  }
  return control / n > 0.05;
}
