import { createHash } from "node:crypto";
import { createReadStream, existsSync } from "node:fs";
import { mkdir, rename, writeFile } from "node:fs/promises";
import { basename, join, resolve } from "node:path";
import { MirrorLookupReply, subjects, type MirrorFile } from "@kokoro-edge/proto";
import type { Bus } from "@kokoro-edge/runtime";
import { ensureFixtureModel } from "@kokoro-edge/fixture-model";
import type { SynthConfig } from "./config";

export interface ModelChoice {
  path: string;
  /** "kokoro" for real weights, "fixture" for the generated test model. */
  engine: "kokoro" | "fixture";
  model: string;
  version: string;
}

/** Why no model could be had, in words an operator can act on. */
export class NoModelError extends Error {}

export async function sha256File(path: string): Promise<string> {
  const h = createHash("sha256");
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest("hex");
}

/**
 * KOKORO_MODEL=fixture: the generated test model (only when asked for).
 * KOKORO_MODEL=<path>: that file. Unset: the model file the mirror holds.
 */
export async function chooseModel(config: SynthConfig, bus: Bus): Promise<ModelChoice> {
  const setting = config.KOKORO_MODEL;
  if (setting === "fixture") {
    const path = await ensureFixtureModel(join(config.DATA_DIR, "models"), { naming: "onnx-community", durations: true, work: config.SYNTH_FIXTURE_WORK });
    return { path, engine: "fixture", model: basename(path), version: (await sha256File(path)).slice(0, 12) };
  }
  if (setting) {
    const path = resolve(setting);
    if (!existsSync(path)) throw new NoModelError(`KOKORO_MODEL=${setting}: no such file`);
    return { path, engine: "kokoro", model: basename(path), version: (await sha256File(path)).slice(0, 12) };
  }
  return modelFromMirror(config, bus);
}

async function modelFromMirror(config: SynthConfig, bus: Bus): Promise<ModelChoice> {
  let reply: MirrorLookupReply;
  try {
    reply = await bus.requestJson(subjects.mirror.lookup, { v: 1, path: "onnx/*.onnx" }, MirrorLookupReply, { timeoutMs: 5000 });
  } catch (err) {
    throw new NoModelError(`KOKORO_MODEL is not set and the model mirror did not answer (${(err as Error).message}); set KOKORO_MODEL to an .onnx file or start the model-mirror`);
  }
  if ("error" in reply) throw new NoModelError(`KOKORO_MODEL is not set and the model mirror has no model: ${reply.error.message}`);
  const file = pickModelFile(reply.files);
  if (!file) throw new NoModelError("KOKORO_MODEL is not set and the model mirror holds no verified model file yet (see the mirror's /readyz)");
  const path = await fetchVerified(file, join(config.DATA_DIR, "models"));
  return { path, engine: "kokoro", model: `${file.repo}/${file.path}@${file.commit.slice(0, 12)}`, version: file.sha256.slice(0, 12) };
}

/** Prefer the full-precision export, then any other. */
export function pickModelFile(files: MirrorFile[]): MirrorFile | undefined {
  return files.find((f) => f.path === "onnx/model.onnx") ?? [...files].sort((a, b) => a.path.localeCompare(b.path))[0];
}

/** The mirror's blob on a shared disk, or a download verified against its sha256. */
async function fetchVerified(file: MirrorFile, cacheDir: string): Promise<string> {
  if (file.local_path && existsSync(file.local_path)) return file.local_path;
  const target = join(cacheDir, `${file.sha256}.onnx`);
  if (existsSync(target) && (await sha256File(target)) === file.sha256) return target;
  if (!file.url) throw new NoModelError(`the mirror lists ${file.path} but gives neither a readable path nor a URL`);
  const res = await fetch(file.url);
  if (!res.ok) throw new NoModelError(`downloading ${file.url} from the mirror failed: HTTP ${res.status}`);
  const bytes = new Uint8Array(await res.arrayBuffer());
  const actual = createHash("sha256").update(bytes).digest("hex");
  if (actual !== file.sha256) throw new NoModelError(`model from ${file.url} failed its checksum; not loaded`);
  await mkdir(cacheDir, { recursive: true });
  const tmp = `${target}.tmp-${process.pid}`;
  await writeFile(tmp, bytes);
  await rename(tmp, target);
  return target;
}
