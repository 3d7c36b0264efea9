/**
 * Encoder CPU on the default formats (issue 18, part 3): time per second of audio, and size, for
 * the same 160 s of speech-band audio, side by side in one run.
 *
 *   bun bench/encode-bench.ts [--seconds 160] [--rounds 3]
 *
 * mp3   the pure-JS LAME the gateway used until issue 18 (@breezystack/lamejs, a devDependency for this
 *       comparison) against LAME compiled to WebAssembly (wasm-media-encoders), bare and as the gateway
 *       runs it (createEncoder: 16-bit samples in, a pooled encoder), all CBR 64 kbps mono at 24 kHz;
 * opus  the gateway's libopus (wasm, @evan/opus) at its default complexity (10) and at 5.
 * Each encoder gets the audio in 100 ms pieces, as a stream's messages arrive. Median of the rounds.
 */
import { parseArgs } from "node:util";
import { Mp3Encoder } from "@breezystack/lamejs";
import { Encoder as OpusEncoder } from "@evan/opus/wasm/index.mjs";
import { createEncoder } from "../services/gateway/src/encoders";
import { createMp3Encoder } from "wasm-media-encoders";
import { renderReference } from "@kokoro-edge/fixture-model";

const { values } = parseArgs({
  options: { seconds: { type: "string", default: "160" }, rounds: { type: "string", default: "3" } },
});
const seconds = Number(values.seconds);
const rounds = Number(values.rounds);
const RATE = 24_000;

// Speech-like material: the fixture's tones for a long run of tokens, with silences between words.
const parts: Float32Array[] = [];
let total = 0;
for (let i = 0; total < seconds * RATE; i++) {
  const tokens = Array.from({ length: 40 }, (_, k) => (k % 8 === 7 ? 16 : 20 + ((i * 13 + k * 7) % 150)));
  const style = Float32Array.from({ length: 256 }, (_, k) => Math.sin(i + k));
  const a = renderReference([0, ...tokens, 0], style, 1);
  parts.push(a);
  total += a.length;
}
const f32 = new Float32Array(seconds * RATE);
let o = 0;
for (const p of parts) {
  const n = Math.min(p.length, f32.length - o);
  f32.set(p.subarray(0, n), o);
  o += n;
  if (o >= f32.length) break;
}
const i16 = Int16Array.from(f32, (x) => Math.max(-32768, Math.min(32767, Math.round(x * 32767))));
const PIECE = RATE / 10;

function median(xs: number[]) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function measure(name: string, run: () => Promise<number> | number) {
  const times: number[] = [];
  let bytes = 0;
  for (let r = 0; r < rounds; r++) {
    const t = performance.now();
    bytes = await run();
    times.push(performance.now() - t);
  }
  const ms = median(times);
  return { name, ms, perAudioSecond: ms / seconds, kb: bytes / 1024 };
}

const lamejs = () => {
  const enc = new Mp3Encoder(1, RATE, 64);
  let n = 0;
  for (let i = 0; i < i16.length; i += PIECE) n += enc.encodeBuffer(i16.subarray(i, i + PIECE)).length;
  return n + enc.flush().length;
};
const wasmModule = await createMp3Encoder(); // compiles once; each round configures a fresh stream
const lameWasm = async () => {
  const enc = await createMp3Encoder();
  enc.configure({ channels: 1, sampleRate: RATE, bitrate: 64 });
  let n = 0;
  for (let i = 0; i < f32.length; i += PIECE) n += enc.encode([f32.subarray(i, i + PIECE)]).length;
  return n + enc.finalize().length;
};
void wasmModule;
const gatewayMp3 = async () => {
  const enc = await createEncoder("mp3", { sampleRate: RATE });
  let n = enc.start().length;
  for (let i = 0; i < i16.length; i += PIECE) n += enc.push(i16.subarray(i, i + PIECE)).length;
  return n + enc.end().length;
};
const opus = (complexity?: number) => () => {
  const enc = new OpusEncoder({ channels: 1, sample_rate: RATE, application: "audio" });
  enc.ctl(4002, 32_000); // bitrate, as the gateway
  enc.ctl(4024, 3001); // signal: voice
  if (complexity !== undefined) enc.ctl(4010, complexity);
  const frame = RATE / 50;
  let n = 0;
  for (let i = 0; i + frame <= i16.length; i += frame) n += enc.encode(i16.subarray(i, i + frame)).length;
  return n;
};

const rows = [
  await measure("mp3 pure-JS LAME (@breezystack/lamejs)", lamejs),
  await measure("mp3 LAME wasm (wasm-media-encoders)", lameWasm),
  await measure("mp3 the gateway's encoder (LAME wasm)", gatewayMp3),
  await measure("opus complexity 10 (default)", opus()),
  await measure("opus complexity 5", opus(5)),
];
console.log(`${seconds} s of audio, 24 kHz mono, median of ${rounds} rounds`);
for (const r of rows)
  console.log(
    `${r.name.padEnd(42)} ${r.ms.toFixed(0).padStart(6)} ms  ${r.perAudioSecond.toFixed(2)} ms per audio second  ${r.kb.toFixed(0)} KB`,
  );
console.log(
  `ratios: mp3 wasm/JS ${(rows[1]!.ms / rows[0]!.ms).toFixed(2)}, gateway/JS ${(rows[2]!.ms / rows[0]!.ms).toFixed(2)}, opus 5/10 ${(rows[4]!.ms / rows[3]!.ms).toFixed(2)}`,
);
process.exit(0);
