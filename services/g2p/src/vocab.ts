/**
 * Kokoro's phoneme vocabulary (symbol -> token id): built in (Kokoro v1.0's),
 * or read from the model's tokenizer.json / config.json. Every symbol is one
 * UTF-16 code unit, so a phoneme string's token count is the number of its
 * symbols that the vocab knows.
 */
import { readFile } from "node:fs/promises";
import { KOKORO_V1_VOCAB, PAD_ID } from "./kokoro-vocab";

export class Vocab {
  private readonly ids = new Map<string, number>();
  constructor(map: Readonly<Record<string, number>>) {
    for (const [sym, id] of Object.entries(map)) {
      // Longer special tokens and the pad ("$" = 0 in tokenizer.json) are not phonemes.
      if (sym.length === 1 && id !== PAD_ID) this.ids.set(sym, id);
    }
    if (this.ids.size === 0) throw new Error("vocab is empty");
  }
  /** Symbol -> id, pad excluded. */
  entries(): [string, number][] {
    return [...this.ids];
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

/** Kokoro v1.0's vocab, carried by the project (see kokoro-vocab.ts). */
export const builtInVocab = () => new Vocab(KOKORO_V1_VOCAB);

/** Where two vocabs disagree, in words (empty when they are the same). */
export function vocabDifferences(a: Vocab, b: Vocab): string[] {
  const bm = new Map(b.entries());
  const out: string[] = [];
  for (const [sym, id] of a.entries()) {
    const other = bm.get(sym);
    if (other === undefined) out.push(`${JSON.stringify(sym)} only in the first`);
    else if (other !== id) out.push(`${JSON.stringify(sym)} is ${id}, not ${other}`);
    bm.delete(sym);
  }
  for (const sym of bm.keys()) out.push(`${JSON.stringify(sym)} only in the second`);
  return out;
}

/**
 * Parses Kokoro's config.json (`{ vocab: { symbol: id } }`), or the ONNX
 * export's tokenizer.json (Hugging Face tokenizers format, `{ model: { vocab } }`).
 */
export function vocabFromConfig(json: unknown, source: string): Vocab {
  const o = json as { vocab?: unknown; model?: { vocab?: unknown } } | null;
  const vocab = o?.vocab ?? o?.model?.vocab;
  if (!vocab || typeof vocab !== "object")
    throw new Error(`${source} has no "vocab" object (the ONNX export keeps it in tokenizer.json)`);
  for (const [k, v] of Object.entries(vocab))
    if (!Number.isInteger(v) || (v as number) < 0)
      throw new Error(`${source}: vocab id for ${JSON.stringify(k)} is not a non-negative integer`);
  return new Vocab(vocab as Record<string, number>);
}

export async function loadVocabFile(path: string): Promise<Vocab> {
  const text = await readFile(path, "utf8");
  return vocabFromConfig(JSON.parse(text), path);
}
