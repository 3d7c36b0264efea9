/** Subtitle documents for tests. */
const ts = (s: number, sep = ",") => {
  const ms = Math.round(s * 1000);
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const sec = Math.floor((ms % 60_000) / 1000);
  return `${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}:${String(sec).padStart(2, "0")}${sep}${String(ms % 1000).padStart(3, "0")}`;
};

/** An SRT "film": `n` cues at irregular, non-round times (so rounding errors would show), CRLF line ends. */
export function filmSrt(
  n: number,
  text: (i: number) => string = (i) => `Line ${i + 1}.`,
): { srt: string; starts: number[]; ends: number[] } {
  const starts: number[] = [];
  const ends: number[] = [];
  let t = 1.0137;
  const blocks: string[] = [];
  for (let i = 0; i < n; i++) {
    const start = t;
    const end = start + 1.5 + ((i * 37) % 11) / 10;
    starts.push(Math.round(start * 1000) / 1000);
    ends.push(Math.round(end * 1000) / 1000);
    blocks.push(`${i + 1}\r\n${ts(start)} --> ${ts(end)}\r\n${text(i)}\r\n`);
    t = end + 0.25 + ((i * 13) % 7) / 10 + 0.0031;
  }
  return { srt: blocks.join("\r\n"), starts, ends };
}

/** First sample at or after `from` whose magnitude exceeds `threshold`. */
export function firstSound(pcm: Int16Array, from: number, threshold = 300): number {
  for (let i = Math.max(0, from); i < pcm.length; i++) if (Math.abs(pcm[i]!) > threshold) return i;
  return -1;
}
