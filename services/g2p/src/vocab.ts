/**
 * Kokoro's phoneme vocabulary (symbol -> token id), read from the model's
 * config.json at run time. Every symbol is one UTF-16 code unit, so a phoneme
 * string's token count is the number of its symbols that the vocab knows.
 */
import { readFile } from "node:fs/promises";

export class Vocab {
  private readonly ids = new Map<string, number>();
  constructor(map: Record<string, number>) {
    for (const [sym, id] of Object.entries(map)) {
      if (sym.length === 1) this.ids.set(sym, id); // (tokenizer.json may list longer special tokens: not phonemes)
    }
    if (this.ids.size === 0) throw new Error("vocab is empty");
  }
  get size() {
    return this.ids.size;
  }
  has(sym: string): boolean {
    return this.ids.has(sym);
  }
  /** Drops symbols the model does not know (callers clean their strings first). */
  clean(phonemes: string): string {
    let out = "";
    for (const ch of phonemes) if (this.ids.has(ch)) out += ch;
    return out;
  }
  encode(phonemes: string): number[] {
    const out: number[] = [];
    for (const ch of phonemes) {
      const id = this.ids.get(ch);
      if (id !== undefined) out.push(id);
    }
    return out;
  }
}

/**
 * Parses Kokoro's config.json (`{ vocab: { symbol: id } }`), or the ONNX
 * export's tokenizer.json (`{ model: { vocab } }`).
 */
export function vocabFromConfig(json: unknown, source: string): Vocab {
  const o = json as { vocab?: unknown; model?: { vocab?: unknown } } | null;
  const vocab = o?.vocab ?? o?.model?.vocab;
  if (!vocab || typeof vocab !== "object") throw new Error(`${source} has no "vocab" object`);
  for (const [k, v] of Object.entries(vocab)) if (!Number.isInteger(v) || (v as number) < 0) throw new Error(`${source}: vocab id for ${JSON.stringify(k)} is not a non-negative integer`);
  return new Vocab(vocab as Record<string, number>);
}

export async function loadVocabFile(path: string): Promise<Vocab> {
  const text = await readFile(path, "utf8");
  return vocabFromConfig(JSON.parse(text), path);
}
