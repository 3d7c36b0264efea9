/**
 * A local folder laid out as `{owner}/{name}/{files}` with a SHA256SUMS at the
 * repo folder's root (as `sha256sum` writes it). Only files listed there are
 * offered, so every byte taken from here can be verified.
 */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { Readable } from "node:stream";
import { isSafeRepoPath } from "../specs";
import { UpstreamError, type OpenedFile, type RemoteListing, type Upstream } from "./types";

export function parseSha256Sums(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const m = /^([0-9a-fA-F]{64}) [ *](.+)$/.exec(line.trim());
    if (!m) continue;
    const path = m[2]!.replace(/^\.\//, "");
    if (isSafeRepoPath(path)) out.set(path, m[1]!.toLowerCase());
  }
  return out;
}

export class FolderUpstream implements Upstream {
  readonly kind = "folder";
  constructor(
    readonly name: string,
    private readonly dir: string,
  ) {}

  private repoDir(repo: string) {
    return join(this.dir, ...repo.split("/"));
  }

  async list(repo: string, revision: string): Promise<RemoteListing> {
    const sumsPath = join(this.repoDir(repo), "SHA256SUMS");
    let text: string;
    try {
      text = await readFile(sumsPath, "utf8");
    } catch (err) {
      const code = (err as { code?: string }).code;
      throw new UpstreamError(
        code === "ENOENT" ? "not_found" : "unreachable",
        `${sumsPath}: ${code === "ENOENT" ? "no such file (a folder upstream needs a SHA256SUMS at the repo folder's root)" : (err as Error).message}`,
      );
    }
    const sums = parseSha256Sums(text);
    const files = [];
    for (const [path, sha256] of sums) {
      const s = await stat(join(this.repoDir(repo), path)).catch(() => undefined);
      if (!s?.isFile()) continue;
      files.push({ path, size: s.size, sizeTrusted: false, sha256, lfs: false });
    }
    // A folder has no git history: a pinned commit is taken at its word, anything
    // else names the folder's content by the hash of its SHA256SUMS.
    const commit = /^[0-9a-f]{40}$/.test(revision) ? revision : createHash("sha1").update(text).digest("hex");
    return { commit, files };
  }

  async open(repo: string, _commit: string, path: string, offset: number): Promise<OpenedFile> {
    if (!isSafeRepoPath(path)) throw new UpstreamError("not_found", `unsafe path ${path}`);
    const full = join(this.repoDir(repo), path);
    const s = await stat(full).catch(() => undefined);
    if (!s?.isFile()) throw new UpstreamError("not_found", `${full}: no such file`);
    const start = Math.min(offset, s.size);
    const stream = createReadStream(full, { start, highWaterMark: 1 << 20 });
    return {
      body: Readable.toWeb(stream) as unknown as ReadableStream<Uint8Array>,
      offset: start,
      cancel: () => stream.destroy(),
    };
  }
}
