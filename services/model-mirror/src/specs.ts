/** Parsing and validating what operators configure: repos with revisions and globs, and upstreams. */

export interface RepoSpec {
  /** `owner/name` */
  repo: string;
  /** Branch, tag or commit sha. */
  revision: string;
  /** File globs; a version holds the files matching any of them. */
  patterns: string[];
  /**
   * A pinned spec names its files and their sha256 itself (path -> sha256),
   * at a commit: nothing is listed upstream, and any source of the bytes will do.
   */
  pinned?: Readonly<Record<string, string>>;
}

/** `hf`: a Hugging Face-compatible hub; `folder`: a local folder; `raw`: plain HTTPS files at `{base}/{owner}/{name}/{commit}/{path}`. */
export type UpstreamSpec = { kind: "hf" | "raw"; url: string } | { kind: "folder"; url: string; dir: string };

const REPO_RE = /^[A-Za-z0-9][A-Za-z0-9._-]*\/[A-Za-z0-9][A-Za-z0-9._-]*$/;
const REVISION_RE = /^[A-Za-z0-9][A-Za-z0-9._\/-]*$/;

export function isValidRepo(repo: string): boolean {
  return REPO_RE.test(repo) && !repo.includes("..");
}
export function isValidRevision(rev: string): boolean {
  return rev.length <= 200 && REVISION_RE.test(rev) && !rev.split("/").includes("..") && !rev.includes("//");
}
export const isCommitSha = (rev: string) => /^[0-9a-f]{40}$/.test(rev);

/** A repo-relative file path that cannot leave the repo: no `..`, no absolute paths, no backslashes or control characters. */
export function isSafeRepoPath(path: string): boolean {
  if (!path || path.length > 1000) return false;
  if (path.startsWith("/") || path.includes("\\") || /[\x00-\x1f\x7f]/.test(path)) return false;
  return path.split("/").every((seg) => seg !== "" && seg !== "." && seg !== "..");
}

export function parseRepoSpecs(text: string): RepoSpec[] {
  const items = text
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  if (items.length === 0) throw new Error("MIRROR_REPOS lists no repository");
  return items.map((item) => {
    const colon = item.indexOf(":");
    const head = colon < 0 ? item : item.slice(0, colon);
    const globs =
      colon < 0
        ? []
        : item
            .slice(colon + 1)
            .split(";")
            .map((g) => g.trim())
            .filter(Boolean);
    const at = head.indexOf("@");
    const repo = (at < 0 ? head : head.slice(0, at)).trim();
    const revision = (at < 0 ? "main" : head.slice(at + 1)).trim();
    if (!isValidRepo(repo)) throw new Error(`"${repo}" is not a repository name (owner/name)`);
    if (!isValidRevision(revision)) throw new Error(`"${revision}" is not a valid revision for ${repo}`);
    for (const g of globs)
      if (!isSafeRepoPath(g.replace(/\*+/g, "x")))
        throw new Error(`file pattern "${g}" for ${repo} is not a safe repo-relative path`);
    return { repo, revision, patterns: globs.length ? globs : ["**"] };
  });
}

/** `owner/name@commit:path=sha256;path=sha256`, comma-separated. */
export function parsePinnedSpecs(text: string): RepoSpec[] {
  const items = text
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  return items.map((item) => {
    const colon = item.indexOf(":");
    const at = item.indexOf("@");
    if (colon < 0 || at < 0 || at > colon)
      throw new Error(`pinned files "${item.slice(0, 80)}" must read owner/name@commit:path=sha256;...`);
    const repo = item.slice(0, at).trim();
    const revision = item.slice(at + 1, colon).trim();
    if (!isValidRepo(repo)) throw new Error(`"${repo}" is not a repository name (owner/name)`);
    if (!isCommitSha(revision))
      throw new Error(`pinned files of ${repo} need a 40-hex commit, not "${revision}"`);
    const pinned: Record<string, string> = {};
    for (const entry of item
      .slice(colon + 1)
      .split(";")
      .map((e) => e.trim())
      .filter(Boolean)) {
      const m = /^(.+)=([0-9a-fA-F]{64})$/.exec(entry);
      if (!m || !isSafeRepoPath(m[1]!.trim()))
        throw new Error(
          `pinned file "${entry.slice(0, 120)}" of ${repo} must read path=sha256 with a safe repo-relative path`,
        );
      pinned[m[1]!.trim()] = m[2]!.toLowerCase();
    }
    if (Object.keys(pinned).length === 0)
      throw new Error(`pinned files of ${repo}@${revision}: no file listed`);
    return { repo, revision, patterns: Object.keys(pinned), pinned };
  });
}

export function parseUpstreams(text: string, httpKind: "hf" | "raw" = "hf"): UpstreamSpec[] {
  const items = text
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  if (items.length === 0) throw new Error("MIRROR_UPSTREAMS lists no upstream");
  return items.map((raw) => {
    let u: URL;
    try {
      u = new URL(raw);
    } catch {
      throw new Error(`upstream "${raw}" is not a URL (use https://host or file:///folder)`);
    }
    if (u.protocol === "file:") return { kind: "folder", url: raw, dir: decodeURIComponent(u.pathname) };
    if (u.protocol === "http:" || u.protocol === "https:")
      return { kind: httpKind, url: raw.replace(/\/+$/, "") };
    throw new Error(`upstream "${raw}": only http(s):// and file:// are supported`);
  });
}
