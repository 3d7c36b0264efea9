/**
 * Speed of the G2P pipeline on this machine:
 *  - lexicon loading time and memory (misaki gold + silver + CMU), espeak-ng warm-up;
 *  - a 10,000-word text phonemized end to end (target: under 1 s);
 *  - the first chunk of a one-page text (~500 words), from the call to the first
 *    chunk (target: under 5 ms once lexicons are loaded).
 *
 *   bun services/g2p/bench/speed.ts [--dialect us|gb] [--runs 5]
 */
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { phonemizeChunks, phonemizeText, type PhonemizeOptions } from "../src/engine";
import { loadLexicon } from "../src/pronounce/lexicon";
import { warmEspeak } from "../src/pronounce/espeak";
import { loadVocabFile } from "../src/vocab";

const { values } = parseArgs({
  options: { dialect: { type: "string", default: "us" }, runs: { type: "string", default: "5" } },
});
const dialect = values.dialect === "gb" ? "gb" : "us";
const runs = Number(values.runs);
const SHARED = process.env.SHARED_DIR ?? resolve(import.meta.dir, "../../../../shared");

const PAGE = `Chapter IV. The long road north

On December 5, 2025, at 3:45 PM, Dr. Eleanor Smith left the station on Main St. with $5.30 in her pocket, a worn map, and a plan. The journey was 340 km, roughly 211 miles, and she had promised to be there by 9:00 a.m. the next day. "It's not far," she said, though the forecast called for -5°C and snow.

She had read every report twice. The first, published in 1998, said the pass was closed 40-60 days a year; the second, from the U.S. Geological Survey, put the figure at nearly 50%. Neither mentioned the bridge, which had been rebuilt in the 1990s and again in 2019 at a cost of $2.3M. Her colleagues at NASA and the FBI thought she was mad. "Why not fly?" they asked. She didn't answer; she simply packed her bags, checked the weather at www.example.com, and went.

The road wound through forests of pine and birch. At the 21st mile marker she stopped to record the temperature, wind speed and the minute changes in the light. A lead-grey sky pressed down on the hills, and the wind rose to 60 mph. She thought of Henry VIII, of old kings and older roads, of the people who had walked this way before there were roads at all: hunters, traders, pilgrims, and soldiers, each with a reason to keep going.

By midnight she had covered 1/2 of the distance. The car's battery read 37%, the fuel gauge 3/4 full, and her phone showed twelve missed calls. She ignored them, e.g. the ones from her editor, and drove on. At 2:15 she saw the lights of the town, tiny against the dark, and felt, for the first time in days, that she might actually make it.

Later, people would ask her what she learned. "Patience," she'd say, "and that maps lie." Then she'd laugh, because it was true, and because the story was better than the truth: three thousand four hundred ninety-seven steps in the snow, one broken headlight, and a sunrise she would never forget.

Years afterwards, the route became popular. A small company, North Trails Ltd., ran guided trips every summer from June 1st to Sept. 30th, charging £450 per person (about $570). The brochures promised "an unforgettable week" and, to be fair, most visitors agreed. Some complained about the food; others about the 5:30 a.m. starts; a few, inevitably, about the weather, which nobody could promise. The company's founder, Mr. Arjun Patel, liked to say that the road had taught him more than any book: how to read a sky, how to live with uncertainty, and how to lead a group of tired strangers up a hill at dusk without losing a single one. In 2031 he wrote a memoir about it, No. 1 on the regional best-seller list for 12 weeks, and donated 100% of the profits to the mountain rescue service.`;

function words(s: string) {
  return s.split(/\s+/).filter(Boolean).length;
}

const heap0 = process.memoryUsage();
const t0 = performance.now();
const lexicon = await loadLexicon(dialect, join(SHARED, "lexicons/misaki"));
const loadMs = performance.now() - t0;
const heap1 = process.memoryUsage();
const vocab = await loadVocabFile(join(SHARED, "kokoro/config.json"));
const espeakMs = await warmEspeak();

const opts: PhonemizeOptions = {
  language: dialect === "gb" ? "en-gb" : "en-us",
  firstChunkTokens: 30,
  chunkTokens: 200,
};
const res = { vocab, lexicon };

// a 10,000-word text: the page repeated with its numbers varied
let big = "";
for (let i = 0; words(big) < 10_000; i++) big += PAGE.replace(/\d+/g, (d) => String(Number(d) + i)) + "\n\n";
const bigWords = words(big);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
// the first run is cold: JIT not warm, espeak-ng's cache empty (later runs reuse its answers for repeated unknown words)
const c0 = performance.now();
await phonemizeText(big, opts, res);
const coldMs = performance.now() - c0;
const full: number[] = [];
let chunks = 0;
let tokens = 0;
for (let r = 0; r < runs; r++) {
  const s = performance.now();
  const out = await phonemizeText(big, opts, res);
  full.push(performance.now() - s);
  chunks = out.chunks.length;
  tokens = out.chunks.reduce((n, c) => n + c.tokens.length, 0);
}
const noEspeak: number[] = [];
for (let r = 0; r < runs; r++) {
  const s = performance.now();
  await phonemizeText(big, { ...opts, espeak: false }, res);
  noEspeak.push(performance.now() - s);
}

const first: number[] = [];
let firstTokens = 0;
for (let r = 0; r < Math.max(20, runs); r++) {
  const s = performance.now();
  const gen = phonemizeChunks(PAGE, opts, res);
  const c = await gen.next();
  first.push(performance.now() - s);
  firstTokens = c.value ? c.value.tokens.length : 0;
  await gen.return(undefined);
}

const report = {
  dialect,
  lexicon: {
    ...lexicon.stats,
    load_ms: Math.round(loadMs),
    heap_mb: +((heap1.heapUsed - heap0.heapUsed) / 1e6).toFixed(1),
    rss_mb: +((heap1.rss - heap0.rss) / 1e6).toFixed(1),
  },
  espeak_warmup_ms: espeakMs,
  ten_thousand_words: {
    words: bigWords,
    chars: big.length,
    chunks,
    tokens,
    cold_ms: Math.round(coldMs),
    median_ms: Math.round(median(full)),
    runs: full.map(Math.round),
    without_espeak_median_ms: Math.round(median(noEspeak)),
  },
  first_chunk_one_page: {
    page_words: words(PAGE),
    first_chunk_tokens: firstTokens,
    median_ms: +median(first).toFixed(2),
    max_ms: +Math.max(...first).toFixed(2),
  },
};
console.log(JSON.stringify(report, null, 2));
