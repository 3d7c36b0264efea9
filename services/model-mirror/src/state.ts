/**
 * What the mirror serves right now: per configured repo revision, the current
 * verified version (or why there is none), and finding the version a request
 * names.
 */
import { AppError } from "@kokoro-edge/runtime";
import type { MirrorFile, MirrorVersion } from "@kokoro-edge/proto";
import type { Catalog, Version, VersionFile } from "./catalog";
import { globToRegExp, isGlob } from "./glob";
import { isSafeRepoPath, isValidRepo, isValidRevision, type RepoSpec } from "./specs";
import type { BlobStore } from "./store";
import type { DownloadProgress } from "./progress";
import { encodePath } from "./upstream/hf";

export interface SpecState {
  spec: RepoSpec;
  current?: Version;
  /** Why the last sync failed, in a few words (cleared by a successful one). */
  lastError?: string;
  /** The whole chain of causes behind lastError (logs). */
  lastDetail?: string;
  /** The downloads of the sync in progress. */
  progress?: DownloadProgress;
  lastRunAt?: Date;
  nextRunAt?: Date;
  syncing: boolean;
}

export const notFound = (code: string, message: string) => new AppError(404, code, message);

export class MirrorState {
  readonly specs: SpecState[];
  /** Blobs the scrub found corrupted: never served until re-fetched. */
  readonly quarantined = new Set<string>();

  constructor(
    specs: RepoSpec[],
    private readonly catalog: Catalog,
    readonly store: BlobStore,
    public publicUrl: string,
  ) {
    this.specs = specs.map((spec) => ({ spec, syncing: false }));
  }

  repos(): string[] {
    return [...new Set(this.specs.map((s) => s.spec.repo))];
  }

  /** A stored version is servable when every blob is present and not quarantined. */
  servable(v: Version): boolean {
    return v.files.every((f) => !this.quarantined.has(f.sha256) && this.store.has(f.sha256, f.size));
  }

  /**
   * Ready when every repo it is asked to mirror has a verified version. Pinned
   * files (misaki's lexicons) improve pronunciation but nothing needs them to
   * run: a mirror that cannot reach their source still serves the model.
   */
  ready(): boolean {
    return this.specs.every((s) => s.current || s.spec.pinned);
  }

  describe(s: SpecState): string {
    const name = `${s.spec.repo}@${s.spec.revision}`;
    if (s.current) {
      const bad = s.current.files.filter((f) => this.quarantined.has(f.sha256)).length;
      const quarantined = bad
        ? ` (${bad} failed an integrity check and are withheld until fetched again)`
        : "";
      const stale = s.lastError ? ` (the last sync failed, still serving this: ${s.lastError})` : "";
      const updating =
        s.progress?.active && s.progress.snapshot().done > 0 ? ` (updating: ${s.progress.describe()})` : "";
      return `${name} = ${s.current.commit.slice(0, 12)}, ${s.current.files.length} verified files${quarantined}${stale}${updating}`;
    }
    const progress = s.progress?.active && s.progress.snapshot().done > 0 ? s.progress.describe() : undefined;
    if (progress) return `${name}: ${progress}`;
    if (s.lastError)
      return `${name}: nothing is stored and it cannot be fetched: ${s.lastError}${s.nextRunAt ? `; retrying in ${Math.max(1, Math.round((s.nextRunAt.getTime() - Date.now()) / 1000))} s` : ""}`;
    return `${name}: nothing verified is stored yet; ${s.syncing ? "first sync in progress" : "waiting for the first sync"}`;
  }

  detail(): string {
    return this.specs.map((s) => this.describe(s)).join("; ");
  }

  /**
   * Why a revision cannot be served yet: `mirror_syncing` while its first sync
   * runs (worth waiting for), `mirror_fetch_failed` when it cannot be fetched.
   */
  notReady(s: SpecState): AppError {
    const downloading = s.progress?.active && s.progress.snapshot().done > 0;
    if (s.lastError && !downloading)
      return new AppError(
        503,
        "mirror_fetch_failed",
        `cannot fetch ${s.spec.repo}@${s.spec.revision}: ${s.lastError}`,
      );
    return new AppError(503, "mirror_syncing", this.describe(s));
  }

  checkRepo(repo: string): void {
    if (!isValidRepo(repo) || !this.repos().includes(repo))
      throw notFound(
        "repo_not_found",
        `repository ${repo} is not mirrored here (mirrored: ${this.repos().join(", ")})`,
      );
  }

  /** The version a request names: default the first configured revision's current; a revision name or a commit sha otherwise. */
  async findVersion(repo: string, revision?: string): Promise<Version> {
    this.checkRepo(repo);
    if (revision === "HEAD") revision = undefined; // HF clients' name for the default branch
    const mine = this.specs.filter((s) => s.spec.repo === repo);
    if (revision !== undefined && !isValidRevision(revision))
      throw new AppError(400, "invalid_revision", `"${revision}" is not a valid revision`);
    const fromSpec =
      revision === undefined
        ? mine[0]
        : mine.find((s) => s.spec.revision === revision || s.current?.commit === revision);
    if (fromSpec) {
      if (fromSpec.current) return fromSpec.current;
      if (revision === undefined || fromSpec.spec.revision === revision) throw this.notReady(fromSpec);
    }
    const stored = await this.catalog.latest(repo, revision!);
    if (!stored)
      throw notFound(
        "revision_not_found",
        `no verified version of ${repo} at revision ${revision} is stored here`,
      );
    if (!this.servable(stored))
      throw new AppError(
        503,
        "mirror_incomplete",
        `${repo}@${revision} is recorded but some of its files are missing from this mirror's store`,
      );
    return stored;
  }

  /** Files of `version` matching an exact path or a glob. An exact path that is not there is a 404. */
  match(version: Version, path: string): VersionFile[] {
    if (isGlob(path)) {
      if (!isSafeRepoPath(path.replace(/\*+/g, "x").replace(/\?/g, "x")))
        throw new AppError(400, "invalid_path", `"${path}" is not a safe repo-relative pattern`);
      const re = globToRegExp(path);
      return version.files.filter((f) => re.test(f.path) && !this.quarantined.has(f.sha256));
    }
    return [this.file(version, path)];
  }

  /**
   * The file at exactly `path` (glob characters are taken literally: an HTTP
   * resolve names one file, and `*` or `[` in it is part of the name). Missing: a 404.
   */
  file(version: Version, path: string): VersionFile {
    if (!isSafeRepoPath(path))
      throw new AppError(400, "invalid_path", `"${path}" is not a safe repo-relative path`);
    const f = version.files.find((x) => x.path === path);
    if (!f)
      throw notFound("file_not_found", `${version.repo}@${version.commit.slice(0, 12)} has no file ${path}`);
    if (this.quarantined.has(f.sha256))
      throw new AppError(
        503,
        "file_quarantined",
        `${path} failed an integrity check and is being fetched again`,
      );
    return f;
  }

  toWireFile(v: Version, f: VersionFile): MirrorFile {
    return {
      repo: v.repo,
      revision: v.revision,
      commit: v.commit,
      path: f.path,
      size: f.size,
      sha256: f.sha256,
      local_path: this.store.blobPath(f.sha256),
      url: `${this.publicUrl}/${v.repo}/resolve/${v.commit}/${encodePath(f.path)}`,
    };
  }

  toWireVersion(v: Version): MirrorVersion {
    return {
      repo: v.repo,
      revision: v.revision,
      commit: v.commit,
      files: v.files.length,
      completed_at: v.completedAt.toISOString(),
    };
  }
}
