/**
 * Held-out lexicon evaluation: hide 2,000 random entries of misaki's us_gold
 * (or gb_gold) lexicon, predict them with everything else, and report the
 * exact-match rate and the phoneme error rate (edit distance over phoneme
 * symbols / reference length).
 *
 * Two settings:
 *  - "gold hidden": the words are removed from gold only; silver and CMU stay
 *    (what a user sees for a word gold lacks);
 *  - "unseen": removed from every lexicon, so suffix rules, compounds, espeak-ng
 *    and the letter-to-sound rules do all the work (true out-of-vocabulary).
 *
 *   bun services/g2p/bench/eval-lexicon.ts [--dialect us|gb] [--n 2000] [--seed 1] [--no-espeak]
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { Pronouncer } from "../src/pronounce";
import { espeakWords } from "../src/pronounce/espeak";
import { loadLexicon, type Entry } from "../src/pronounce/lexicon";
import { letterToSound } from "../src/pronounce/rules";
import { loadVocabFile } from "../src/vocab";

const { values } = parseArgs({
  options: {
    dialect: { type: "string", default: "us" },
    n: { type: "string", default: "2000" },
    seed: { type: "string", default: "1" },
    "no-espeak": { type: "boolean", default: false },
  },
});
const dialect = values.dialect === "gb" ? "gb" : "us";
const N = Number(values.n);
const SHARED = process.env.SHARED_DIR ?? resolve(import.meta.dir, "../../../../shared");
const LEX = join(SHARED, "lexicons/misaki");

function rng(seed: number) {
  let s = seed >>> 0 || 1;
  return () => (s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 2 ** 32;
}

function editDistance(a: string[], b: string[]): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length]!;
}

const gold = JSON.parse(readFileSync(join(LEX, `${dialect}_gold.json`), "utf8")) as Record<string, Entry>;
const candidates = Object.entries(gold)
  .map(([w, e]) => [w, typeof e === "string" ? e : e.DEFAULT] as const)
  .filter(
    (x): x is readonly [string, string] =>
      typeof x[1] === "string" && /^[A-Za-z][a-z'-]*[a-z]$/.test(x[0]) && x[0].length >= 2,
  );
const rand = rng(Number(values.seed));
for (let i = candidates.length - 1; i > 0; i--) {
  const j = Math.floor(rand() * (i + 1));
  [candidates[i], candidates[j]] = [candidates[j]!, candidates[i]!];
}
const held = candidates.slice(0, N);
const vocab = await loadVocabFile(join(SHARED, "kokoro/config.json"));
const full = await loadLexicon(dialect, LEX, true);
const words = held.map(([w]) => w);

async function evaluate(name: string, lexicon: typeof full, useEspeak: boolean) {
  const t0 = performance.now();
  const pron = new Pronouncer(lexicon);
  const preds: string[] = [];
  const oov: number[] = [];
  held.forEach(([w], i) => {
    const p = pron.lookup(w);
    preds.push(p === undefined ? "" : vocab.clean(p));
    if (p === undefined) oov.push(i);
  });
  const src = { lexicon: held.length - oov.length, espeak: 0, rules: 0 };
  if (oov.length) {
    const guesses = useEspeak
      ? await espeakWords(
          oov.map((i) => held[i]![0]),
          dialect,
        )
      : [];
    oov.forEach((i, k) => {
      const g = guesses[k] ? vocab.clean(guesses[k]!) : "";
      const cmu = !g && !pron.cmuBeforeEspeak ? pron.lookupCmu(held[i]![0]) : undefined;
      if (g) src.espeak++;
      else if (cmu) src.lexicon++;
      else src.rules++;
      preds[i] = g || (cmu ? vocab.clean(cmu) : "") || vocab.clean(letterToSound(held[i]![0], dialect));
    });
  }
  const bySource = { lexicon: { n: 0, exact: 0 }, fallback: { n: 0, exact: 0 } };
  const oovSet = new Set(oov);
  held.forEach(([, ref], i) => {
    const b = oovSet.has(i) ? bySource.fallback : bySource.lexicon;
    b.n++;
    if (preds[i] === ref) b.exact++;
  });
  let exact = 0;
  let exactNoStress = 0;
  let errs = 0;
  let errsNoStress = 0;
  let refLen = 0;
  let refLenNoStress = 0;
  const misses: string[] = [];
  held.forEach(([w, ref], i) => {
    const p = preds[i]!;
    const strip = (s: string) => [...s.replace(/[ˈˌ]/g, "")];
    if (p === ref) exact++;
    else if (misses.length < 15) misses.push(`${w}: /${p}/ vs /${ref}/`);
    if (strip(p).join("") === strip(ref).join("")) exactNoStress++;
    errs += editDistance([...p], [...ref]);
    refLen += [...ref].length;
    errsNoStress += editDistance(strip(p), strip(ref));
    refLenNoStress += strip(ref).length;
  });
  return {
    setting: name,
    words: held.length,
    exact_match: +(exact / held.length).toFixed(4),
    phoneme_error_rate: +(errs / refLen).toFixed(4),
    exact_match_ignoring_stress: +(exactNoStress / held.length).toFixed(4),
    phoneme_error_rate_ignoring_stress: +(errsNoStress / refLenNoStress).toFixed(4),
    predicted_by: src,
    exact_match_by_source: Object.fromEntries(
      Object.entries(bySource).map(([k, v]) => [k, v.n ? +(v.exact / v.n).toFixed(4) : null]),
    ),
    ms: Math.round(performance.now() - t0),
    sample_misses: misses,
  };
}

const goldHidden = full;
const reports = [
  await evaluate("gold hidden (silver + CMU available)", goldHidden.withoutGold(words), !values["no-espeak"]),
  await evaluate("unseen (hidden from every lexicon)", full.without(words), !values["no-espeak"]),
];
console.log(JSON.stringify({ dialect, seed: Number(values.seed), held_out: held.length, reports }, null, 2));
