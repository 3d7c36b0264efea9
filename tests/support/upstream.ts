import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { generateFixtureModel } from "@kokoro-edge/fixture-model";
import { kokoroConfig, voicesDir } from "./paths";

export const REPO = "onnx-community/Kokoro-82M-v1.0-ONNX";

/**
 * A local upstream folder laid out like the Hugging Face repo: the real voice
 * packs and config from ../shared (linked, not copied) and the fixture model as
 * onnx/model.onnx, with a SHA256SUMS the mirror verifies against.
 */
export function makeLocalUpstream(root: string, opts: { voices?: string[]; work?: number } = {}): string {
  const repoDir = join(root, REPO);
  mkdirSync(join(repoDir, "voices"), { recursive: true });
  mkdirSync(join(repoDir, "onnx"), { recursive: true });
  const sums: string[] = [];
  const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");
  symlinkSync(kokoroConfig, join(repoDir, "config.json"));
  sums.push(`${sha(readFileSync(kokoroConfig))}  config.json`);
  const voices = opts.voices ?? readdirSync(voicesDir).filter((f) => f.endsWith(".bin")).map((f) => f.slice(0, -4));
  for (const v of voices) {
    symlinkSync(join(voicesDir, `${v}.bin`), join(repoDir, "voices", `${v}.bin`));
    sums.push(`${sha(readFileSync(join(voicesDir, `${v}.bin`)))}  voices/${v}.bin`);
  }
  const model = generateFixtureModel({ naming: "onnx-community", durations: true, work: opts.work ?? 0 });
  writeFileSync(join(repoDir, "onnx", "model.onnx"), model);
  sums.push(`${sha(model)}  onnx/model.onnx`);
  writeFileSync(join(repoDir, "SHA256SUMS"), sums.join("\n") + "\n");
  return `file://${root}`;
}
