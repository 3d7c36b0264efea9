/**
 * What espeak-ng costs g2p per out-of-vocabulary word: Debian's espeak-ng as a child process
 * (what g2p uses) against the npm `phonemizer` package (espeak-ng compiled to WebAssembly, run in
 * g2p's own process, which g2p used before and which put GPL code in the process). Side by side.
 *
 *   bun services/g2p/bench/espeak-cost.ts [--words 2000]
 *
 * The in-process figures need `phonemizer` installed (`npm i --no-save phonemizer`); without it
 * only the child process is measured.
 */
import { parseArgs } from "node:util";
import { EspeakProcess } from "../src/pronounce/espeak-process";

const { values } = parseArgs({ options: { words: { type: "string", default: "2000" } } });
const n = Number(values.words);
// Made-up words (so no cache anywhere helps), in batches of 20 as g2p sends a sentence's unknown words.
const syllables = ["ka", "lo", "mir", "zen", "tor", "vax", "qui", "bel", "dro", "sun", "pex", "gla"];
const words = Array.from(
  { length: n },
  (_, i) =>
    Array.from({ length: 2 + (i % 3) }, (_, k) => syllables[(i * 7 + k * 5) % syllables.length]).join("") + i,
);
const batches: string[][] = [];
for (let i = 0; i < words.length; i += 20) batches.push(words.slice(i, i + 20));

const p = new EspeakProcess({ voice: "en-us" });
let t = performance.now();
await p.ipa(["warm"]);
const childStart = performance.now() - t;
t = performance.now();
for (const b of batches) await p.ipa(b);
const child = performance.now() - t;
p.close();

let inProcess: { start: number; ms: number } | undefined;
try {
  const spec = "phonemizer";
  const { phonemize } = (await import(spec)) as { phonemize: (t: string, l: string) => Promise<string[]> };
  t = performance.now();
  await phonemize("warm", "en-us");
  const start = performance.now() - t;
  t = performance.now();
  for (const b of batches) await phonemize(b.join("\n"), "en-us");
  inProcess = { start, ms: performance.now() - t };
} catch {
  /* not installed */
}

const per = (ms: number) => ((ms / n) * 1000).toFixed(0);
console.log(`${n} out-of-vocabulary words in batches of 20`);
console.log(`child process (Debian espeak-ng):  start ${childStart.toFixed(0)} ms, ${per(child)} µs a word`);
if (inProcess)
  console.log(
    `in process (npm phonemizer, wasm): start ${inProcess.start.toFixed(0)} ms, ${per(inProcess.ms)} µs a word (ratio ${(child / inProcess.ms).toFixed(2)})`,
  );
else console.log("in process: npm phonemizer not installed (npm i --no-save phonemizer to compare)");
process.exit(0);
