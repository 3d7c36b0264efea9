/**
 * The model in ORT format, the form onnxruntime can run from mapped bytes without
 * copying the weights (see OnnxEngineOptions.sharedWeights). Made once per model
 * and onnxruntime version, in a process of its own: converting loads the whole
 * model once more, and that memory (onnxruntime's, in the C heap) would otherwise
 * stay in the synth worker's resident memory for good.
 *
 *   bun ort-format.ts <model.onnx> <out.ort>     (what ortFormat runs)
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, renameSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** How long a conversion may take before it is given up (326 MB of weights took ~7 s on two cores: bench/memory-bench.ts). */
export const CONVERSION_TIMEOUT_MS = 300_000;

/** onnxruntime's version: an ORT-format file is read by the version that wrote it. */
const ortVersion: string = createRequire(import.meta.url)("onnxruntime-node/package.json").version;

/**
 * The ORT-format copy of the model at `path` (sha256 `sha256`), named by the model's checksum and
 * onnxruntime's version, so a new model or runtime makes a new copy. Beside the model, or in
 * `fallbackDir` when that folder is read-only. Written under a temporary name and renamed, so a
 * conversion killed half-way leaves no copy that looks finished. A conversion that has not finished
 * within `timeoutMs` is killed and the call fails (the caller loads the model the plain way): a hung
 * child must not keep the worker from ever becoming ready.
 */
export async function ortFormat(
  path: string,
  sha256: string,
  fallbackDir: string,
  timeoutMs = CONVERSION_TIMEOUT_MS,
): Promise<string> {
  const name = `${basename(path).replace(/\.onnx$/, "")}.${sha256.slice(0, 16)}.ort-${ortVersion}.ort`;
  const errors: string[] = [];
  for (const dir of [dirname(path), fallbackDir]) {
    const out = join(dir, name);
    if (existsSync(out)) return out;
    const tmp = `${out}.${process.pid}.${Date.now()}.tmp`;
    try {
      mkdirSync(dir, { recursive: true });
      await convertInChild(path, tmp, timeoutMs);
      renameSync(tmp, out);
      return out;
    } catch (err) {
      errors.push(`${dir}: ${(err as Error).message}`);
      rmSync(tmp, { force: true });
      // A read-only folder: try the next one. A conversion too slow here would be as slow there.
      if (err instanceof ConversionTimeout) break;
    }
  }
  throw new Error(`could not save the model in ORT format (${errors.join("; ")})`);
}

class ConversionTimeout extends Error {}

function convertInChild(path: string, out: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [fileURLToPath(import.meta.url), path, out], {
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, timeoutMs);
    child.stderr.on("data", (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
    child.on("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (timedOut) reject(new ConversionTimeout(`conversion did not finish within ${timeoutMs} ms`));
      else if (code === 0 && existsSync(out)) resolve();
      else reject(new Error(`conversion ended with ${signal ?? `code ${code}`}: ${stderr.trim()}`));
    });
  });
}

/** Saves `path` in ORT format at `out` (basic and extended optimisations, no hardware-specific layouts). */
async function convert(path: string, out: string): Promise<void> {
  const ort = await import("onnxruntime-node");
  const session = await ort.InferenceSession.create(path, {
    intraOpNumThreads: 1,
    graphOptimizationLevel: "extended",
    optimizedModelFilePath: out,
    extra: { session: { save_model_format: "ORT" } },
  });
  await session.release();
}

if (import.meta.main) {
  const [path, out] = process.argv.slice(2);
  if (!path || !out) {
    console.error("usage: ort-format.ts <model.onnx> <out.ort>");
    process.exit(2);
  }
  await convert(path, out);
}
