/**
 * Where g2p's data comes from. The vocab: KOKORO_CONFIG, or the model mirror's
 * current version (`tokenizer.json` in the ONNX export, `config.json` in
 * hexgrad's layout), else Kokoro v1.0's built-in vocab. The lexicons:
 * LEXICON_DIR, or misaki's files the mirror keeps pinned. Files are read from
 * the mirror's disk when this process shares it, else over HTTP.
 */
import { access, constants } from "node:fs/promises";
import {
  contracts,
  MISAKI_REPO,
  TOKENIZER_FILE,
  misakiLexiconPath,
  type MirrorFile,
} from "@kokoro-edge/proto";
import type { Bus } from "@kokoro-edge/runtime";
import type { Dialect } from "./pronounce/arpabet";
import type { LexiconFiles } from "./pronounce/lexicon";
import { loadVocabFile, vocabFromConfig, type Vocab } from "./vocab";

export interface VocabSource {
  vocab: Vocab;
  /** Where it was read from, for status and logs. */
  from: string;
}

/** The mirror did not answer, or has no such file: why, in a few words. */
export class MirrorFileMissing extends Error {}

/** One file of the mirror's current version of `repo` (default: its first repo, the model's). */
async function mirrorFile(
  bus: Bus,
  path: string,
  repo: string | undefined,
  timeoutMs: number,
): Promise<MirrorFile> {
  let reply;
  try {
    reply = await bus.requestJson(
      contracts.mirror.lookup,
      { v: 1, path, ...(repo ? { repo } : {}) },
      { timeoutMs },
    );
  } catch (err) {
    throw new MirrorFileMissing(`no model mirror answers (${(err as Error).message})`);
  }
  if ("error" in reply)
    throw new MirrorFileMissing(`the model mirror has no ${path}: ${reply.error.message}`);
  const file = reply.files[0];
  if (!file) throw new MirrorFileMissing(`the model mirror has no ${path} in its current version`);
  return file;
}

/** A path this process can read, or else the mirror's URL for the file. */
async function readableLocation(file: MirrorFile): Promise<string> {
  if (file.local_path) {
    try {
      await access(file.local_path, constants.R_OK);
      return file.local_path;
    } catch {
      // not on this host's disk: over HTTP
    }
  }
  if (!file.url)
    throw new MirrorFileMissing(`the model mirror gave neither a readable path nor a URL for ${file.path}`);
  return file.url;
}

/** tokenizer.json first (the ONNX export), then config.json (hexgrad's layout, whose config carries the vocab). */
export async function vocabFromMirror(bus: Bus, timeoutMs = 5_000): Promise<VocabSource> {
  const problems: string[] = [];
  for (const path of [TOKENIZER_FILE, "config.json"]) {
    try {
      const file = await mirrorFile(bus, path, undefined, timeoutMs);
      const where = await readableLocation(file);
      const vocab = /^https?:/.test(where)
        ? await fetch(where, { signal: AbortSignal.timeout(timeoutMs) }).then(async (res) => {
            if (!res.ok) throw new Error(`fetching ${where} failed: HTTP ${res.status}`);
            return vocabFromConfig(await res.json(), where);
          })
        : await loadVocabFile(where);
      return { vocab, from: `mirror ${file.repo}@${file.commit.slice(0, 12)} ${file.path}` };
    } catch (err) {
      problems.push((err as Error).message);
      if ((err as Error).message.startsWith("no model mirror answers")) break;
    }
  }
  throw new MirrorFileMissing(problems.join("; "));
}

export async function vocabFromFile(path: string): Promise<VocabSource> {
  return { vocab: await loadVocabFile(path), from: path };
}

/** misaki's gold and silver lexicons for a dialect, as the mirror keeps them. */
export async function lexiconFilesFromMirror(
  bus: Bus,
  dialect: Dialect,
  timeoutMs = 5_000,
): Promise<LexiconFiles> {
  const [gold, silver] = await Promise.all(
    (["gold", "silver"] as const).map(async (tier) =>
      readableLocation(await mirrorFile(bus, misakiLexiconPath(dialect, tier), MISAKI_REPO, timeoutMs)),
    ),
  );
  return { gold, silver, from: `mirror ${MISAKI_REPO}` };
}
