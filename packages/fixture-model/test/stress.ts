// Not part of the suite: a long randomized sweep of the decoder against the platform simulation.
// bun packages/fixture-model/test/stress.ts [trials]
import { readdirSync } from "node:fs";
import { decodeTokens, SAMPLE_RATE } from "../src/index.ts";
import { concat, fade, randomTokens, rng, synth, toInt16, trim, VOICES_DIR } from "./helpers.ts";

const voices = readdirSync(VOICES_DIR)
  .filter((f) => f.endsWith(".bin"))
  .map((f) => f.slice(0, -4));
const trials = Number(process.argv[2] ?? 200);
let failures = 0;
for (let trial = 0; trial < trials; trial++) {
  const rand = rng(1000 + trial);
  const expected: number[] = [];
  const parts: Float32Array[] = [];
  const chunks = 1 + Math.floor(rand() * 5);
  const desc: string[] = [];
  for (let c = 0; c < chunks; c++) {
    const speed = rand() < 0.3 ? [0.25, 4][Math.floor(rand() * 2)]! : 0.25 + rand() * 3.75;
    const voice = voices[Math.floor(rand() * voices.length)]!;
    const tokens = randomTokens(rand, 1 + Math.floor(rand() * (speed < 0.5 ? 30 : 120)));
    const r = await synth(tokens, voice, speed);
    let x = r.audio.data as Float32Array;
    x = trim(x, 0.001 + rand() * 0.05, rand() * 6);
    fade(x, 5);
    if (c > 0) parts.push(new Float32Array(rand() < 0.3 ? 0 : Math.round(rand() * 0.5 * SAMPLE_RATE)));
    parts.push(x);
    expected.push(...tokens);
    desc.push(`${voice}@${speed.toFixed(2)}x${tokens.length}`);
  }
  const pcm = concat(parts);
  const variants: [string, Float32Array | Int16Array, number][] = [
    ["f32", pcm, SAMPLE_RATE],
    ["i16", toInt16(pcm), SAMPLE_RATE],
  ];
  if (trial % 4 === 0) {
    // 16 kHz by linear interpolation.
    const n = Math.floor((pcm.length * 2) / 3);
    const down = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const t = i * 1.5;
      const k = Math.floor(t);
      down[i] = pcm[k]! + (t - k) * ((pcm[k + 1] ?? 0) - pcm[k]!);
    }
    variants.push(["16k", toInt16(down), 16000]);
  }
  for (const [name, data, sr] of variants) {
    const got = decodeTokens(data, { sampleRate: sr }).tokens;
    if (JSON.stringify(got) !== JSON.stringify(expected)) {
      failures++;
      let i = 0;
      while (got[i] === expected[i]) i++;
      console.log(
        `FAIL trial ${trial} ${name} [${desc.join(" ")}] first diff at ${i}: got ${got.slice(i, i + 5)} want ${expected.slice(i, i + 5)} (len ${got.length}/${expected.length})`,
      );
    }
  }
}
console.log(`${trials} trials, ${failures} failures`);
