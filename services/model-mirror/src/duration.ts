/** `1h`, `30m`, `90s`, `500ms`, `2d`, or a bare number of seconds; `0` = off. Returns milliseconds. */
export function parseDuration(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/i.exec(text);
  if (!m) throw new Error(`"${text}" is not a duration (examples: 1h, 30m, 90s, 0)`);
  const n = Number(m[1]);
  const unit = (m[2] ?? "s").toLowerCase();
  const mult = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[unit]!;
  return Math.round(n * mult);
}
