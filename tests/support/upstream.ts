/**
 * Copies of the layouts real users download, for tests:
 *
 * - `onnx-community/Kokoro-82M-v1.0-ONNX` as Hugging Face has it: a 44-byte
 *   config.json with no vocab, the vocab in a Hugging Face tokenizers file
 *   (tokenizer.json, `model.vocab`, `"$": 0` the pad) beside
 *   tokenizer_config.json, eight model variants under onnx/ (here the fixture
 *   model, each file labelled with its variant so their bytes differ) and the
 *   real voice packs from ../shared;
 * - `hexgrad/misaki` at the pinned commit, with its four lexicons from ../shared.
 *
 * As bytes (for the fake HF hub) or as a local folder upstream (file://).
 */
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import {
  KOKORO_REPO,
  MISAKI_COMMIT,
  MISAKI_LEXICONS,
  MISAKI_REPO,
  MODEL_VARIANTS,
  DTYPES,
} from "@kokoro-edge/proto";
import { generateFixtureModel } from "@kokoro-edge/fixture-model";
import { kokoroConfig, lexiconDir, voicesDir } from "./paths";

export const REPO = KOKORO_REPO;

/** The real repo's config.json, byte for byte: it names the architecture and nothing else. */
export const REAL_CONFIG_JSON = '{\n  "model_type": "style_text_to_speech_2"\n}';

/** tokenizer.json in the Hugging Face tokenizers format, with Kokoro v1.0's vocab (from ../shared) and the pad. */
export function tokenizerJson(): string {
  const vocab = (JSON.parse(readFileSync(kokoroConfig, "utf8")) as { vocab: Record<string, number> }).vocab;
  const symbols = Object.keys(vocab).join("");
  const escaped = symbols.replace(/[\\\]^-]/g, "\\$&");
  return JSON.stringify(
    {
      version: "1.0",
      truncation: null,
      padding: null,
      added_tokens: [
        {
          id: 0,
          content: "$",
          single_word: false,
          lstrip: false,
          rstrip: false,
          normalized: false,
          special: true,
        },
      ],
      normalizer: { type: "Replace", pattern: { Regex: `[^$${escaped}]` }, content: "" },
      pre_tokenizer: { type: "Split", pattern: { Regex: "" }, behavior: "Isolated", invert: false },
      post_processor: {
        type: "TemplateProcessing",
        single: [
          { SpecialToken: { id: "$", type_id: 0 } },
          { Sequence: { id: "A", type_id: 0 } },
          { SpecialToken: { id: "$", type_id: 0 } },
        ],
        pair: [
          { SpecialToken: { id: "$", type_id: 0 } },
          { Sequence: { id: "A", type_id: 0 } },
          { Sequence: { id: "B", type_id: 1 } },
          { SpecialToken: { id: "$", type_id: 0 } },
        ],
        special_tokens: { $: { id: "$", ids: [0], tokens: ["$"] } },
      },
      decoder: null,
      model: { vocab: { $: 0, ...vocab } },
    },
    null,
    2,
  );
}

export const TOKENIZER_CONFIG_JSON = JSON.stringify(
  { model_max_length: 512, pad_token: "$", tokenizer_class: "PreTrainedTokenizer", unk_token: "$" },
  null,
  2,
);

const allVoices = () =>
  readdirSync(voicesDir)
    .filter((f) => f.endsWith(".bin"))
    .map((f) => f.slice(0, -4));

/** The model repo's files as bytes. */
export function realRepoFiles(opts: { voices?: string[]; work?: number } = {}): Map<string, Uint8Array> {
  const enc = new TextEncoder();
  const files = new Map<string, Uint8Array>([
    ["config.json", enc.encode(REAL_CONFIG_JSON)],
    ["tokenizer.json", enc.encode(tokenizerJson())],
    ["tokenizer_config.json", enc.encode(TOKENIZER_CONFIG_JSON)],
    [
      ".gitattributes",
      enc.encode("*.onnx filter=lfs diff=lfs merge=lfs -text\n*.bin filter=lfs diff=lfs merge=lfs -text\n"),
    ],
    ["README.md", enc.encode("---\nlicense: apache-2.0\nlibrary_name: transformers.js\n---\n")],
  ]);
  for (const d of DTYPES)
    files.set(
      MODEL_VARIANTS[d],
      generateFixtureModel({ naming: "onnx-community", durations: true, work: opts.work ?? 0, label: d }),
    );
  for (const v of opts.voices ?? allVoices())
    files.set(`voices/${v}.bin`, readFileSync(join(voicesDir, `${v}.bin`)));
  return files;
}

/** misaki's lexicons at the pinned commit, as bytes. */
export function misakiFiles(): Map<string, Uint8Array> {
  return new Map(
    Object.keys(MISAKI_LEXICONS).map((path) => [
      path,
      readFileSync(join(lexiconDir, path.split("/").pop()!)),
    ]),
  );
}

/** The fixture bytes a variant's file holds (to check which one synth loaded). */
export const variantSha256 = (files: Map<string, Uint8Array>, dtype: (typeof DTYPES)[number]) =>
  createHash("sha256").update(files.get(MODEL_VARIANTS[dtype])!).digest("hex");

/**
 * A local upstream folder laid out like the two repos (`{owner}/{name}/...`
 * with a SHA256SUMS each): the shared files linked, not copied.
 */
export function makeLocalUpstream(root: string, opts: { voices?: string[]; work?: number } = {}): string {
  const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");
  const repoDir = join(root, REPO);
  const sums: string[] = [];
  for (const [path, bytes] of realRepoFiles(opts)) {
    mkdirSync(dirname(join(repoDir, path)), { recursive: true });
    if (path.startsWith("voices/"))
      symlinkSync(join(voicesDir, path.slice("voices/".length)), join(repoDir, path));
    else writeFileSync(join(repoDir, path), bytes);
    sums.push(`${sha(bytes)}  ${path}`);
  }
  writeFileSync(join(repoDir, "SHA256SUMS"), sums.join("\n") + "\n");
  const misakiDir = join(root, MISAKI_REPO);
  for (const path of Object.keys(MISAKI_LEXICONS)) {
    mkdirSync(dirname(join(misakiDir, path)), { recursive: true });
    symlinkSync(join(lexiconDir, path.split("/").pop()!), join(misakiDir, path));
  }
  return `file://${root}`;
}

export { MISAKI_COMMIT, MISAKI_REPO };
