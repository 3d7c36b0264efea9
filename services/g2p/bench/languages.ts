/**
 * G2P speed per language, side by side in one run: words per second over a ~2,000-word text, and
 * the time from the call to the first chunk of a one-page text. espeak-ng's phrase cache is
 * emptied before each measurement, so the figures are its cost on text never seen (a page's
 * repeated phrases are still answered once per text).
 * English is the reference (lexicons, espeak-ng for unknown words only); es, fr-fr, hi, it and
 * pt-br read every word through espeak-ng; ja through its dictionary (its load is reported
 * apart), zh through pinyin.
 *
 *   bun services/g2p/bench/languages.ts [--runs 3] [--only es,ja]
 */
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import type { Language } from "@kokoro-edge/proto";
import {
  isEnglish,
  phonemizeChunks,
  phonemizeText,
  type PhonemizeOptions,
  type Resources,
} from "../src/engine";
import { normalizerFor } from "../src/normalize/languages";
import { loadLexicon } from "../src/pronounce/lexicon";
import { closeEspeak, warmEspeak } from "../src/pronounce/espeak";
import { clearEspeakPhraseCache } from "../src/pronounce/espeak-languages";
import { loadVocabFile } from "../src/vocab";

const { values } = parseArgs({
  options: { runs: { type: "string", default: "3" }, only: { type: "string" } },
});
const runs = Number(values.runs);
const SHARED = process.env.SHARED_DIR ?? resolve(import.meta.dir, "../../../../shared");

/** A page in each language, with figures (varied per page), dates, money and punctuation. */
const PAGES: Record<Language, string> = {
  "en-us":
    "On May 5, 2024, at 3:45 PM, Dr. Smith paid $25 for 3 tickets. The train left the station late, and the rain did not stop until the evening. Everyone agreed it was the best trip of the year, although nobody could explain why the map was wrong twice.",
  "en-gb":
    "On 5 May 2024, at 15:45, Dr Smith paid £25 for 3 tickets. The train left the station late, and the rain did not stop until the evening. Everyone agreed it was the best trip of the year, although nobody could explain why the map was wrong twice.",
  es: "El 5 de mayo de 2024, a las 15:45, el Sr. García pagó 25 € por 3 entradas. El tren salió tarde de la estación y la lluvia no paró hasta la noche. Todos estuvieron de acuerdo en que fue el mejor viaje del año, aunque nadie supo explicar por qué el mapa se equivocó dos veces.",
  "fr-fr":
    "Le 5 mai 2024, à 15h45, M. Dupont a payé 25 € pour 3 billets. Le train a quitté la gare en retard, et la pluie n'a pas cessé avant le soir. Tout le monde a reconnu que c'était le plus beau voyage de l'année, même si personne n'a su expliquer pourquoi la carte s'était trompée deux fois.",
  it: "Il 5 maggio 2024, alle 15:45, il Sig. Rossi ha pagato 25 € per 3 biglietti. Il treno è partito in ritardo dalla stazione e la pioggia non si è fermata fino a sera. Tutti hanno detto che è stato il viaggio più bello dell'anno, anche se nessuno ha saputo spiegare perché la mappa si è sbagliata due volte.",
  "pt-br":
    "Em 5 de maio de 2024, às 15:45, o Sr. Silva pagou R$ 25,00 por 3 ingressos. O trem saiu atrasado da estação e a chuva não parou até a noite. Todos concordaram que foi a melhor viagem do ano, embora ninguém soubesse explicar por que o mapa errou duas vezes.",
  hi: "5 मई 2024 को दोपहर 3:45 बजे डॉ. शर्मा ने 3 टिकटों के लिए ₹250 दिए। ट्रेन स्टेशन से देर से निकली और शाम तक बारिश नहीं रुकी। सबने माना कि यह साल की सबसे अच्छी यात्रा थी, हालाँकि कोई नहीं बता सका कि नक्शा दो बार गलत क्यों निकला।",
  ja: "2024年5月5日の午後3時45分に、田中さんは3枚の切符に2500円を払いました。電車は遅れて駅を出発し、雨は夜まで止みませんでした。地図がなぜ二回も間違っていたのか誰にも説明できませんでしたが、みんな今年一番の旅行だったと言いました。",
  zh: "2024年5月5日下午3点45分，王先生花了250元买了3张票。火车晚点离开了车站，雨一直下到晚上才停。大家都说这是今年最好的一次旅行，虽然没有人能解释地图为什么错了两次。",
};

const words = (s: string, language: Language) =>
  language === "ja" || language === "zh"
    ? [...s.matchAll(/\p{Script=Han}|[\p{Script=Hiragana}\p{Script=Katakana}]+|\p{L}+|\d+/gu)].length
    : s.split(/\s+/).filter(Boolean).length;

const vary = (page: string, i: number) => page.replace(/\d+/g, (d) => String(Number(d) + i * 7));

const vocab = await loadVocabFile(join(SHARED, "kokoro/config.json"));
const lexicons = new Map<string, Awaited<ReturnType<typeof loadLexicon>>>();
const resourcesFor = async (language: Language): Promise<Resources> => {
  const dialect = language === "en-gb" ? "gb" : "us";
  if (!lexicons.has(dialect))
    lexicons.set(dialect, await loadLexicon(dialect, join(SHARED, "lexicons/misaki")));
  return { vocab, lexicon: lexicons.get(dialect)! };
};
console.log(`espeak-ng warm-up: ${await warmEspeak()} ms`);

const languages = (values.only?.split(",") ?? Object.keys(PAGES)) as Language[];
const rows: string[][] = [
  ["language", "load ms", "load RSS MB", "words", "words/s (median)", "first chunk ms (median)", "chunks"],
];
let page = 1;
for (const language of languages) {
  const res = await resourcesFor(language);
  const rss0 = process.memoryUsage().rss;
  const t0 = performance.now();
  await normalizerFor(language).prepare?.();
  const loadMs = performance.now() - t0;
  const loadRss = (process.memoryUsage().rss - rss0) / 1e6;
  const opts: PhonemizeOptions = { language, firstChunkTokens: 15, chunkTokens: 200 };
  // a long text of never-seen pages: words per second
  const rates: number[] = [];
  const firsts: number[] = [];
  let n = 0;
  let chunks = 0;
  for (let r = 0; r < runs; r++) {
    let text = "";
    while (words(text, language) < 2_000) text += vary(PAGES[language], page++) + "\n\n";
    n = words(text, language);
    clearEspeakPhraseCache(); // espeak-ng's own cost: no phrase answered before
    const t = performance.now();
    const out = await phonemizeText(text, opts, res);
    rates.push(n / ((performance.now() - t) / 1000));
    chunks = out.chunks.length;
    // the first chunk of a fresh page
    const fresh = vary(PAGES[language], page++);
    clearEspeakPhraseCache();
    const f0 = performance.now();
    const gen = phonemizeChunks(fresh, opts, res);
    await gen.next();
    firsts.push(performance.now() - f0);
    await gen.return(undefined);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  rows.push([
    language + (isEnglish(language) ? " (reference)" : ""),
    loadMs.toFixed(0),
    loadRss.toFixed(0),
    String(n),
    median(rates).toFixed(0),
    median(firsts).toFixed(1),
    String(chunks),
  ]);
}
closeEspeak();
const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
for (const r of rows) console.log(r.map((cell, c) => cell.padEnd(widths[c]!)).join("  "));
process.exit(0);
