import { badRequest } from "@kokoro-edge/runtime";

export interface VoiceComponent {
  name: string;
  /** Normalised: the weights of a mix sum to 1. */
  weight: number;
}

const NAME = /^[a-z][a-z0-9_]{1,63}$/;
const TERM = /^([A-Za-z0-9_]+)\s*(?:\(\s*([0-9]*\.?[0-9]+)\s*\))?$/;

/**
 * Parse a voice expression: `af_heart`, `af_bella+af_sky` (equal weights) or
 * `af_bella(2)+af_sky(1)` (weighted, normalised). Errors name the problem.
 */
export function parseVoiceExpression(expr: string): VoiceComponent[] {
  const text = expr.trim();
  if (!text) throw badRequest("invalid_voice", "voice is empty", "voice");
  const parts = text.split("+").map((p) => p.trim());
  if (parts.length > 8)
    throw badRequest(
      "invalid_voice",
      `a voice mix may combine at most 8 voices, got ${parts.length}`,
      "voice",
    );
  const raw: { name: string; weight: number }[] = [];
  for (const part of parts) {
    const m = TERM.exec(part);
    if (!m)
      throw badRequest(
        "invalid_voice",
        `cannot read voice term '${part}' in '${expr}': expected name or name(weight), e.g. af_bella(2)+af_sky(1)`,
        "voice",
      );
    const name = m[1]!.toLowerCase();
    if (!NAME.test(name)) throw badRequest("invalid_voice", `'${m[1]}' is not a voice name`, "voice");
    const weight = m[2] === undefined ? 1 : Number(m[2]);
    if (!(weight > 0) || !Number.isFinite(weight))
      throw badRequest("invalid_voice", `weight of '${name}' must be a positive number`, "voice");
    raw.push({ name, weight });
  }
  const merged = new Map<string, number>();
  for (const r of raw) merged.set(r.name, (merged.get(r.name) ?? 0) + r.weight);
  const total = [...merged.values()].reduce((a, b) => a + b, 0);
  return [...merged].map(([name, w]) => ({ name, weight: w / total }));
}

/** Canonical text of a parsed mix (stable across spellings), e.g. `af_bella(0.667)+af_sky(0.333)`. */
export function formatVoice(components: VoiceComponent[]): string {
  if (components.length === 1) return components[0]!.name;
  return components.map((c) => `${c.name}(${Number(c.weight.toFixed(4))})`).join("+");
}
