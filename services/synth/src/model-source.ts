/**
 * Which model file a worker loads: KOKORO_MODEL (a path, or `fixture`), or the
 * variant KOKORO_DTYPE names among the model files the mirror holds, fetched
 * from the mirror's disk or over HTTP and verified against its sha256.
 */
import { createHash } from "node:crypto";
import { createReadStream, createWriteStream, existsSync } from "node:fs";
import { mkdir, rename, rm } from "node:fs/promises";
import { basename, join, resolve } from "node:path";
import {
  contracts,
  DEFAULT_DTYPE,
  DTYPES,
  MirrorLookupReply,
  MODEL_VARIANTS,
  dtypeOfPath,
  type Dtype,
  type MirrorFile,
} from "@kokoro-edge/proto";
import type { Bus } from "@kokoro-edge/runtime";
import { ensureFixtureModel } from "@kokoro-edge/fixture-model";
import type { SynthConfig } from "./config";

export interface ModelChoice {
  path: string;
  /** "kokoro" for real weights, "fixture" for the generated test model. */
  engine: "kokoro" | "fixture";
  model: string;
  version: string;
  sha256: string;
}

/** Why no model could be had, in words an operator can act on. */
export class NoModelError extends Error {
  /** True while the mirror is still fetching: worth waiting for, not worth a warning. */
  constructor(
    message: string,
    readonly waiting = false,
  ) {
    super(message);
  }
}

export async function sha256File(path: string): Promise<string> {
  const h = createHash("sha256");
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest("hex");
}

/** The two ways to give a worker a model, said where one is missing. */
export const HOW_TO_GET_A_MODEL =
  "set KOKORO_MODEL=/path/to/model.onnx and VOICES_DIR=/path/to/voices, or MIRROR_UPSTREAMS=file:///path/to/models (a folder laid out like the Hugging Face repo)";

/**
 * KOKORO_MODEL=fixture: the generated test model (only when asked for).
 * KOKORO_MODEL=<path>: that file. Unset: the model file the mirror holds.
 */
export async function chooseModel(config: SynthConfig, bus: Bus): Promise<ModelChoice> {
  const setting = config.KOKORO_MODEL;
  if (setting === "fixture") {
    const path = await ensureFixtureModel(join(config.DATA_DIR, "models"), {
      naming: "onnx-community",
      durations: true,
      work: config.SYNTH_FIXTURE_WORK,
    });
    const sha256 = await sha256File(path);
    return { path, engine: "fixture", model: basename(path), version: sha256.slice(0, 12), sha256 };
  }
  if (setting) {
    const path = resolve(setting);
    if (!existsSync(path)) throw new NoModelError(`KOKORO_MODEL=${setting}: no such file`);
    const sha256 = await sha256File(path);
    return { path, engine: "kokoro", model: basename(path), version: sha256.slice(0, 12), sha256 };
  }
  return modelFromMirror(config, bus);
}

async function modelFromMirror(config: SynthConfig, bus: Bus): Promise<ModelChoice> {
  let reply: MirrorLookupReply;
  try {
    reply = await bus.requestJson(
      contracts.mirror.lookup,
      { v: 1, path: "onnx/*.onnx" },
      {
        timeoutMs: 5000,
      },
    );
  } catch (err) {
    throw new NoModelError(
      `no Kokoro model: KOKORO_MODEL is not set and no model mirror answers (${(err as Error).message}); ${HOW_TO_GET_A_MODEL}, or start the model-mirror`,
    );
  }
  if ("error" in reply) {
    if (reply.error.code === "mirror_syncing")
      throw new NoModelError(`waiting for the model mirror: ${reply.error.message}`, true);
    throw new NoModelError(`no Kokoro model (${reply.error.message}); to fix it, ${HOW_TO_GET_A_MODEL}`);
  }
  const file = pickModelFile(reply.files, config.KOKORO_DTYPE);
  if ("problem" in file) throw new NoModelError(file.problem);
  const path = await fetchVerified(file, join(config.DATA_DIR, "models"));
  return {
    path,
    engine: "kokoro",
    model: `${file.repo}/${file.path}@${file.commit.slice(0, 12)}`,
    version: file.sha256.slice(0, 12),
    sha256: file.sha256,
  };
}

/**
 * The variant KOKORO_DTYPE names. Unset, the default variant, or else the
 * closest the mirror has (an operator who mirrors only fp32 gets fp32); set,
 * exactly that one, or a problem that says what the mirror has instead.
 */
export function pickModelFile(files: MirrorFile[], dtype?: Dtype): MirrorFile | { problem: string } {
  const want = MODEL_VARIANTS[dtype ?? DEFAULT_DTYPE];
  const exact = files.find((f) => f.path === want);
  if (exact) return exact;
  if (files.length === 0)
    return {
      problem: `no Kokoro model: the model mirror holds no onnx/*.onnx file yet; ${HOW_TO_GET_A_MODEL}`,
    };
  if (dtype) {
    const has = files
      .map((f) => `${f.path}${dtypeOfPath(f.path) ? ` (KOKORO_DTYPE=${dtypeOfPath(f.path)})` : ""}`)
      .join(", ");
    return {
      problem: `KOKORO_DTYPE=${dtype} wants ${want}, which the model mirror does not hold (it has ${has}); set KOKORO_DTYPE to match, or have the mirror fetch ${want} (its default MIRROR_REPOS follows KOKORO_DTYPE)`,
    };
  }
  const known = DTYPES.map((d) => files.find((f) => f.path === MODEL_VARIANTS[d])).find(Boolean);
  return known ?? [...files].sort((a, b) => a.path.localeCompare(b.path))[0]!;
}

/** The mirror's blob on a shared disk, or a download streamed to disk and verified against its sha256. */
async function fetchVerified(file: MirrorFile, cacheDir: string): Promise<string> {
  if (file.local_path && existsSync(file.local_path)) return file.local_path;
  const target = join(cacheDir, `${file.sha256}.onnx`);
  if (existsSync(target) && (await sha256File(target)) === file.sha256) return target;
  if (!file.url)
    throw new NoModelError(`the mirror lists ${file.path} but gives neither a readable path nor a URL`);
  const res = await fetch(file.url).catch((err) => {
    throw new NoModelError(`downloading ${file.url} from the mirror failed: ${(err as Error).message}`);
  });
  if (!res.ok || !res.body)
    throw new NoModelError(`downloading ${file.url} from the mirror failed: HTTP ${res.status}`);
  await mkdir(cacheDir, { recursive: true });
  const tmp = `${target}.tmp-${process.pid}`;
  const hash = createHash("sha256");
  const out = createWriteStream(tmp);
  try {
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      hash.update(chunk);
      if (!out.write(chunk)) await new Promise((r) => out.once("drain", r));
    }
    await new Promise<void>((ok, fail) => out.end((err?: Error | null) => (err ? fail(err) : ok())));
  } catch (err) {
    out.destroy();
    await rm(tmp, { force: true });
    throw new NoModelError(`downloading ${file.url} from the mirror broke off: ${(err as Error).message}`);
  }
  if (hash.digest("hex") !== file.sha256) {
    await rm(tmp, { force: true });
    throw new NoModelError(`model from ${file.url} failed its checksum; not loaded`);
  }
  await rename(tmp, target);
  return target;
}
