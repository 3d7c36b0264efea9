/**
 * The G2P pipeline: normalise, group into units, pronounce (lexicons, then
 * espeak for what is left, then letter-to-sound rules or spelling), cut into
 * chunks, and turn phonemes into Kokoro token ids. `phonemizeChunks` yields
 * each chunk as soon as it is decided, so a long text's first chunk does not
 * wait for the rest.
 */
import {
  MAX_CHUNK_TOKENS,
  type G2pChunk,
  type G2pResult,
  type G2pWord,
  type Language,
} from "@kokoro-edge/proto";
import { badRequest, unavailable } from "@kokoro-edge/runtime";
import { chooseCut, chunkTarget } from "./chunk";
import { resultFromChunks } from "./response";
import { normalize, type Item, type NormalizeOptions } from "./normalize";
import { nextBlockEnd } from "./normalize/blocks";
import { normalizerFor } from "./normalize/languages";
import type { Dialect } from "./pronounce/arpabet";
import { espeakWords } from "./pronounce/espeak";
import { EspeakError } from "./pronounce/espeak-process";
import { Pronouncer, guessTag, isHeteronym, startsWithVowel } from "./pronounce";
import type { Lexicon } from "./pronounce/lexicon";
import { spellOut } from "./pronounce/letters";
import { letterToSound } from "./pronounce/rules";
import { romanize } from "./pronounce/translit";
import { readPhrases } from "./pronounce/native";
import { languageName } from "./language";
import { toUnits, type Unit } from "./units";
import type { Vocab } from "./vocab";

export const MAX_INPUT_CHARS = 1_000_000;
/** Normalisation block sizes (characters): small first, so the first chunk does not wait for the rest. */
const FIRST_BLOCK_CHARS = 1_500;
/** A unit longer than this (in tokens) is split between its words. */
const UNIT_SPLIT_TOKENS = 400;
const BLOCK_CHARS = 8_000;

export interface PhonemizeOptions {
  language: Language;
  pronunciations?: Record<string, string>;
  firstChunkTokens: number;
  chunkTokens: number;
  /** Each chunk's target is at most this many times the one before (default DEFAULT_CHUNK_GROWTH). */
  chunkGrowth?: number;
  /** Ask espeak-ng for out-of-vocabulary words (default true). */
  espeak?: boolean;
}

export interface Resources {
  vocab: Vocab;
  lexicon: Lexicon;
}

/** After these, a capital "A" is the letter ("A is for apple", "plan A and B"), not the article. */
const LETTER_A_NEXT = new Set(["is", "was", "and", "or", "to", "for", "in", "on", "grade", "plus", "minus"]);

/** A capital "A" is the article only when it is a word of its own, not a letter in "66A", "A380" or "7 A" read with its number. */
function writtenAlone(units: readonly Unit[], u: number, next: number | undefined): boolean {
  const unit = units[u]!;
  return unit.item.words.length === 1 && (next === undefined || next === u || units[next]!.start > unit.end);
}

/** Silence after a chunk by the punctuation that ends it (Kokoro says the punctuation but stops right after). */
const PUNCT_PAUSE_S = [0, 0.1, 0.15, 0.2];

interface Spoken {
  unit: Unit;
  /** Phonemes of the words, cleaned to the vocab (without lead/trail marks). */
  words: string[];
  phonemes: string;
  tokens: number;
  brk: number;
}

/** The English dialect of a language's English words (British for en-gb, American for every other). */
export function dialectOf(language: Language): Dialect {
  return language === "en-gb" ? "gb" : "us";
}

export const isEnglish = (language: Language): boolean => language === "en-us" || language === "en-gb";

/** Loads what a language's reader needs on first use (Japanese's dictionary); a 503 when it cannot. */
async function prepareLanguage(language: Language): Promise<void> {
  const prepare = normalizerFor(language).prepare;
  if (!prepare) return;
  try {
    await prepare();
  } catch (err) {
    throw unavailable(
      "reader_unavailable",
      `Cannot read ${languageName(language)} text here: ${(err as Error).message}.`,
    );
  }
}

/** Validates the text; throws a 400 for user mistakes. */
export function checkText(text: string): void {
  if (!text.trim()) throw badRequest("empty_input", "The input text is empty.", "text");
  if (text.length > MAX_INPUT_CHARS)
    throw badRequest(
      "input_too_long",
      `The input has ${text.length} characters; the limit is ${MAX_INPUT_CHARS}.`,
      "text",
    );
}

export async function* phonemizeChunks(
  text: string,
  opts: PhonemizeOptions,
  res: Resources,
): AsyncGenerator<G2pChunk> {
  checkText(text);
  await prepareLanguage(opts.language);
  const dialect = dialectOf(opts.language);
  const pron = new Pronouncer(res.lexicon, opts.pronunciations);
  const custom = (w: string) =>
    (opts.pronunciations?.[w] ?? opts.pronunciations?.[w.toLowerCase()]) !== undefined;
  const normOpts: NormalizeOptions = {
    language: opts.language,
    dialect,
    known: (w) => res.lexicon.has(w) || custom(w),
    saidAsWord: (w) => {
      if (custom(w)) return true;
      const e = res.lexicon.get(w);
      return typeof e === "string" || (!!e && !Object.values(e).includes(null));
    },
  };
  // normalise block by block: a small first block, so a long text's first chunk comes at once
  const units: Unit[] = [];
  let normalizedTo = 0;
  let carry = -1;
  const normalizeMore = () => {
    const end = nextBlockEnd(text, normalizedTo, normalizedTo === 0 ? FIRST_BLOCK_CHARS : BLOCK_CHARS);
    const items: Item[] = normalize(text, normOpts, normalizedTo, end);
    // inline phonemes with nothing Kokoro can say: pronounce the word normally instead
    for (const it of items)
      if (it.kind === "word" && it.phonemes !== undefined && !res.vocab.clean(it.phonemes).trim())
        delete it.phonemes;
    const r = toUnits(items, carry);
    carry = r.carryStart;
    units.push(...r.units);
    normalizedTo = end;
    if (end === text.length && carry >= 0) {
      // trailing marks after the last word (the last blocks had no word): they go with that word
      const last = pronounced >= units.length ? spoken[spoken.length - 1]?.unit : units[units.length - 1];
      if (last) for (const it of items) if (it.kind !== "pause") last.end = Math.max(last.end, it.end);
      carry = -1;
    }
  };

  const spoken: Spoken[] = [];
  let pronounced = 0;
  let index = 0;
  let from = 0;
  // pronounce in growing windows: a small one first so the first chunk comes fast (smaller still
  // where every word is a round trip to espeak-ng)
  let window = isEnglish(opts.language) ? 48 : 12;
  for (;;) {
    const final = pronounced >= units.length && normalizedTo >= text.length;
    if (final && from >= spoken.length) break;
    const target = chunkTarget(index, opts.firstChunkTokens, opts.chunkTokens, opts.chunkGrowth);
    const cut = chooseCut(spoken, from, target, MAX_CHUNK_TOKENS, final, index === 0 ? 2 : 1.25);
    // a chunk that ends with everything known so far waits for the rest of the text (its trailing marks)
    const waitForMore = cut !== undefined && cut === spoken.length && !final;
    if (cut === undefined || waitForMore) {
      if (pronounced >= units.length) {
        // let other work on this process (bus heartbeats, other requests) run between blocks
        if (normalizedTo > 0) await new Promise<void>((r) => setImmediate(r));
        normalizeMore();
        continue;
      }
      const next = Math.min(units.length, pronounced + window);
      const useEspeak = opts.espeak !== false;
      spoken.push(
        ...(isEnglish(opts.language)
          ? await englishUnits(text, units, pronounced, next, pron, res.vocab, useEspeak)
          : await nativeUnits(opts.language, units, pronounced, next, pron, res.vocab, useEspeak)),
      );
      pronounced = next;
      window = Math.min(4096, window * 4);
      continue;
    }
    yield buildChunk(text, spoken, from, cut, index++, res.vocab);
    from = cut;
  }
  if (!index)
    throw badRequest(
      "no_speakable_text",
      "The input has nothing that can be spoken (only punctuation, symbols or emoji).",
      "text",
    );
}

export async function phonemizeText(
  text: string,
  opts: PhonemizeOptions,
  res: Resources,
): Promise<G2pResult> {
  const chunks: G2pChunk[] = [];
  for await (const c of phonemizeChunks(text, opts, res)) chunks.push(c);
  return resultFromChunks(opts.language, chunks);
}

/**
 * English words no lexicon knows: espeak-ng, else the CMU dictionary, letter-to-sound rules or
 * spelling; "" for a script with no English reading (Arabic, CJK: nothing to say, but the span stays).
 */
async function englishUnknown(
  words: string[],
  pron: Pronouncer,
  vocab: Vocab,
  useEspeak: boolean,
): Promise<string[]> {
  const dialect = pron.dialect;
  // words espeak can take: Latin letters only (Cyrillic and Greek romanised first)
  // (only common Latin letters: rarer ones make espeak-ng guess another language)
  const asLatin = words.map((w) =>
    /^[A-Za-z\u00C0-\u024F\u0300-\u036F'’-]+$/u.test(w)
      ? w
      : romanize(w).replace(/[^A-Za-z\u00C0-\u024F'-]/gu, ""),
  );
  const idx = words.map((_, n) => n).filter((n) => asLatin[n]);
  let guesses: string[] = [];
  if (useEspeak && idx.length) {
    try {
      guesses = await espeakWords(
        idx.map((n) => asLatin[n]!),
        dialect,
      );
    } catch {
      guesses = [];
    }
  }
  const out = words.map(() => "");
  idx.forEach((n, g) => {
    const w = asLatin[n]!;
    const guess = guesses[g] ? vocab.clean(guesses[g]!) : "";
    const cmu = !guess && !pron.cmuBeforeEspeak ? pron.lookupCmu(words[n]!) : undefined;
    out[n] =
      guess ||
      (cmu ? vocab.clean(cmu) : "") ||
      vocab.clean(letterToSound(w, dialect)) ||
      vocab.clean(spellOut(w, dialect));
  });
  return out;
}

/** Words of another language's text that are English (a brand, a Latin-script word): lexicon first, then as unknown words. */
async function englishWords(
  words: string[],
  pron: Pronouncer,
  vocab: Vocab,
  useEspeak: boolean,
): Promise<string[]> {
  const out = words.map((w) => {
    const ph = pron.lookup(w, undefined);
    return ph === undefined ? undefined : vocab.clean(ph);
  });
  const todo = out.map((ph, n) => (ph === undefined ? n : -1)).filter((n) => n >= 0);
  if (todo.length) {
    const said = await englishUnknown(
      todo.map((n) => words[n]!),
      pron,
      vocab,
      useEspeak,
    );
    todo.forEach((n, k) => (out[n] = said[k]));
  }
  return out.map((ph) => ph ?? "");
}

/**
 * Phonemes for units [a, b) of a language other than English: a phrase (the words up to a mark) at
 * a time through the language's reader (pronounce/native.ts); its English words through English's.
 */
async function nativeUnits(
  language: Language,
  units: Unit[],
  a: number,
  b: number,
  pron: Pronouncer,
  vocab: Vocab,
  useEspeak: boolean,
): Promise<Spoken[]> {
  const result: string[][] = [];
  const phrases: string[][] = [];
  let cur: string[] = [];
  for (let u = a; u < b; u++) {
    const unit = units[u]!;
    if (unit.item.phonemes !== undefined) {
      result.push([vocab.clean(unit.item.phonemes)]);
      continue;
    }
    result.push(unit.item.words.map(() => ""));
    cur.push(...unit.item.words);
    // a mark ends the phrase
    if (unit.punctBrk > 0 && cur.length) {
      phrases.push(cur);
      cur = [];
    }
  }
  if (cur.length) phrases.push(cur);
  let read: string[][];
  try {
    read = await readPhrases(language, phrases, (words) => englishWords(words, pron, vocab, useEspeak));
  } catch (err) {
    if (!(err instanceof EspeakError)) throw err; // a fault of ours is not the reader being unavailable
    throw unavailable(
      "reader_unavailable",
      `Cannot read ${languageName(language)} text here: ${(err as Error).message}.`,
    );
  }
  // back into units, word by word, in order
  let n = 0;
  const flat = read.flat();
  for (let u = a; u < b; u++) {
    if (units[u]!.item.phonemes !== undefined) continue;
    const words = result[u - a]!;
    for (let k = 0; k < words.length; k++) words[k] = vocab.clean(flat[n++] ?? "");
  }
  return spokenUnits(units, a, b, result, vocab);
}

/** Phonemes for units [a, b) of English: lexicons first, then one espeak call for the unknown words. */
async function englishUnits(
  text: string,
  units: Unit[],
  a: number,
  b: number,
  pron: Pronouncer,
  vocab: Vocab,
  useEspeak: boolean,
): Promise<Spoken[]> {
  // words of the window, in order, for the tagger (sentence by sentence)
  type Slot = { u: number; k: number; word: string };
  const slots: Slot[] = [];
  for (let u = a; u < b; u++) units[u]!.item.words.forEach((word, k) => slots.push({ u, k, word }));
  const result: Array<Array<string | undefined>> = [];
  for (let u = a; u < b; u++)
    result.push(
      units[u]!.item.phonemes !== undefined
        ? [vocab.clean(units[u]!.item.phonemes!)]
        : units[u]!.item.words.map(() => undefined),
    );
  const lowerWords = slots.map((s) => s.word.toLowerCase());
  const capitalized = slots.map((s) => /^\p{Lu}\p{Ll}/u.test(s.word));
  const breakAfter = slots.map((s) => s.k === units[s.u]!.item.words.length - 1 && units[s.u]!.punctBrk > 0);
  // words said for something written otherwise ("÷": "divided by", "10": "ten"): not the writer's words
  const spokenOnly = slots.map((s, i) => {
    const item = units[s.u]!.item;
    return !text.slice(item.start, item.end).toLowerCase().includes(lowerWords[i]!);
  });
  // sentence starts for the tagger
  const sentenceStart: number[] = [];
  let sStart = 0;
  for (let i = 0; i < slots.length; i++) {
    sentenceStart.push(sStart);
    const unit = units[slots[i]!.u]!;
    if (slots[i]!.k === unit.item.words.length - 1 && unit.punctBrk >= 2) sStart = i + 1;
  }
  const oov: Slot[] = [];
  for (let i = 0; i < slots.length; i++) {
    const s = slots[i]!;
    if (units[s.u]!.item.phonemes !== undefined) continue;
    let tag: ReturnType<typeof guessTag> = undefined;
    const entry = pron.entry(s.word);
    if (isHeteronym(entry) || lowerWords[i] === "used" || lowerWords[i] === "lead") {
      const st = sentenceStart[i]!;
      let end = i + 1;
      while (end < slots.length && sentenceStart[end] === st && end - i < 40) end++;
      tag = guessTag(
        lowerWords.slice(st, end),
        i - st,
        isHeteronym(entry) ? Object.keys(entry) : [],
        capitalized.slice(st, end),
        breakAfter.slice(st, end),
        spokenOnly.slice(st, end),
      );
    }
    const ph = pron.lookup(s.word, tag);
    if (ph !== undefined) result[s.u - a]![s.k] = vocab.clean(ph);
    else oov.push(s);
  }
  if (oov.length) {
    const said = await englishUnknown(
      oov.map((s) => s.word),
      pron,
      vocab,
      useEspeak,
    );
    oov.forEach((s, n) => (result[s.u - a]![s.k] = said[n]!));
  }
  // context: "the" before vowels, "a" as an article, "to"
  const flat: Array<{ u: number; k: number }> = [];
  for (let u = a; u < b; u++) result[u - a]!.forEach((_, k) => flat.push({ u, k }));
  for (let i = 0; i < flat.length; i++) {
    const { u, k } = flat[i]!;
    if (units[u]!.item.phonemes !== undefined) continue;
    const w = units[u]!.item.words[k]!;
    const lw = w.toLowerCase();
    if (lw !== "the" && lw !== "a" && lw !== "to") continue;
    const lastInUnit = k === units[u]!.item.words.length - 1;
    const nextRef = flat[i + 1];
    const nextPh =
      nextRef && !(lastInUnit && units[u]!.punctBrk > 0) ? result[nextRef.u - a]![nextRef.k] : undefined;
    const nextWord = nextRef ? units[nextRef.u]!.item.words[nextRef.k] : undefined;
    if (lw === "the" && result[u - a]![k] && !pron.lookupOverride(w))
      result[u - a]![k] = nextPh && startsWithVowel(nextPh) ? "ði" : "ðə";
    else if (lw === "to" && !pron.lookupOverride(w))
      result[u - a]![k] = !nextPh ? "tu" : startsWithVowel(nextPh) ? "tʊ" : "tə";
    else if (
      lw === "a" &&
      (w === "a" ||
        (nextWord &&
          /^\p{Ll}/u.test(nextWord) &&
          !LETTER_A_NEXT.has(nextWord) &&
          writtenAlone(units, u, nextRef?.u))) &&
      nextPh &&
      !pron.lookupOverride(w)
    )
      result[u - a]![k] = "ɐ";
  }
  return spokenUnits(units, a, b, result, vocab);
}

/** Units [a, b) with their words' phonemes: lead and trailing marks around them, a very long one split. */
function spokenUnits(
  units: Unit[],
  a: number,
  b: number,
  result: Array<Array<string | undefined>>,
  vocab: Vocab,
): Spoken[] {
  const out: Spoken[] = [];
  for (let u = a; u < b; u++) {
    const unit = units[u]!;
    const words = result[u - a]!.map((p) => p ?? "");
    const core = words.filter(Boolean).join(" ");
    const lead = vocab.clean(unit.lead);
    const trail = vocab.clean(unit.trail);
    const phonemes = core ? lead + core + trail : "";
    if (phonemes.length <= UNIT_SPLIT_TOKENS) {
      out.push({ unit, words, phonemes, tokens: phonemes.length, brk: unit.brk });
      continue;
    }
    // a very long spoken form (a long URL said piece by piece): several units, so chunks can
    // cut between its words; the first carries the span, the others are empty spans at its end
    const groups: Array<{ said: string[]; ph: string[] }> = [{ said: [], ph: [] }];
    words.forEach((ph, k) => {
      let g = groups[groups.length - 1]!;
      if (g.ph.length && g.ph.join(" ").length + ph.length + 1 > UNIT_SPLIT_TOKENS)
        groups.push((g = { said: [], ph: [] }));
      g.said.push(unit.item.words[k]!);
      if (ph) g.ph.push(ph.slice(0, MAX_CHUNK_TOKENS - 2));
    });
    groups.forEach((g, n) => {
      const first = n === 0;
      const last = n === groups.length - 1;
      const part: Unit = {
        ...unit,
        item: { ...unit.item, words: g.said },
        start: first ? unit.start : unit.end,
        end: unit.end,
        lead: first ? unit.lead : "",
        trail: last ? unit.trail : "",
        brk: last ? unit.brk : 0,
        pause: last ? unit.pause : 0,
        punctBrk: last ? unit.punctBrk : 0,
      };
      const ph = g.ph.length ? (first ? lead : "") + g.ph.join(" ") + (last ? trail : "") : "";
      out.push({ unit: part, words: g.ph, phonemes: ph, tokens: ph.length, brk: part.brk });
    });
  }
  return out;
}

function buildChunk(
  text: string,
  spoken: Spoken[],
  from: number,
  to: number,
  index: number,
  vocab: Vocab,
): G2pChunk {
  const words: G2pWord[] = [];
  const parts: string[] = [];
  let tokenPos = 0;
  for (let i = from; i < to; i++) {
    const s = spoken[i]!;
    if (s.phonemes && parts.length) tokenPos += 1; // the space between words
    const tStart = tokenPos;
    if (s.phonemes) {
      parts.push(s.phonemes);
      tokenPos += s.tokens;
    }
    words.push({
      text: text.slice(s.unit.start, s.unit.end),
      start: s.unit.start,
      end: s.unit.end,
      normalized: s.unit.item.words.join(" "),
      phonemes: s.phonemes,
      token_start: tStart,
      token_end: s.phonemes ? tokenPos : tStart,
    });
  }
  const phonemes = parts.join(" ");
  const tokens = vocab.encode(phonemes);
  const first = spoken[from]!.unit;
  const last = spoken[to - 1]!.unit;
  const pause = Math.min(60, last.pause + PUNCT_PAUSE_S[Math.min(3, last.punctBrk)]!);
  return {
    index,
    text: text.slice(first.start, last.end),
    start: first.start,
    end: last.end,
    normalized: words
      .map((w) => w.normalized)
      .filter(Boolean)
      .join(" "),
    phonemes,
    tokens,
    pause_after_s: Math.round(pause * 1000) / 1000,
    words,
  };
}
