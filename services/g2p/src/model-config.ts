/**
 * Where the vocab comes from: KOKORO_CONFIG, or the model mirror over the bus
 * (`config.json` of the current verified version: its local path when this
 * process shares the mirror's disk, else its URL).
 */
import { access, constants } from "node:fs/promises";
import { MirrorLookupReply, subjects } from "@kokoro-edge/proto";
import type { Bus } from "@kokoro-edge/runtime";
import { loadVocabFile, vocabFromConfig, type Vocab } from "./vocab";

export interface VocabSource {
  vocab: Vocab;
  /** Where it was read from, for status and logs. */
  from: string;
}

/** Kokoro's config.json first; the ONNX export's tokenizer.json holds the same vocab. */
export async function vocabFromMirror(bus: Bus, timeoutMs = 5_000): Promise<VocabSource> {
  const problems: string[] = [];
  for (const path of ["config.json", "tokenizer.json"]) {
    try {
      return await vocabFromMirrorFile(bus, path, timeoutMs);
    } catch (err) {
      problems.push((err as Error).message);
      if ((err as Error).message.startsWith("the model mirror did not answer")) break;
    }
  }
  throw new Error(problems.join("; "));
}

async function vocabFromMirrorFile(bus: Bus, path: string, timeoutMs: number): Promise<VocabSource> {
  let reply;
  try {
    reply = await bus.requestJson(subjects.mirror.lookup, { v: 1, path }, MirrorLookupReply, { timeoutMs });
  } catch (err) {
    throw new Error(`the model mirror did not answer (${(err as Error).message})`);
  }
  if ("error" in reply) throw new Error(`the model mirror has no ${path}: ${reply.error.message}`);
  const file = reply.files[0];
  if (!file) throw new Error(`the model mirror has no ${path} in its current version`);
  if (file.local_path) {
    try {
      await access(file.local_path, constants.R_OK);
      return { vocab: await loadVocabFile(file.local_path), from: `mirror ${file.repo}@${file.commit.slice(0, 12)} (${file.local_path})` };
    } catch (err) {
      if (!file.url) throw new Error(`cannot read the mirror's ${path} at ${file.local_path}: ${(err as Error).message}`);
    }
  }
  if (!file.url) throw new Error(`the model mirror gave neither a readable path nor a URL for ${path}`);
  const res = await fetch(file.url, { signal: AbortSignal.timeout(timeoutMs) });
  if (!res.ok) throw new Error(`fetching ${file.url} failed: HTTP ${res.status}`);
  return { vocab: vocabFromConfig(await res.json(), file.url), from: `mirror ${file.repo}@${file.commit.slice(0, 12)} (${file.url})` };
}

export async function vocabFromFile(path: string): Promise<VocabSource> {
  return { vocab: await loadVocabFile(path), from: path };
}
