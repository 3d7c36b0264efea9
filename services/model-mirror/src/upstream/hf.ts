/**
 * A Hugging Face-compatible hub: huggingface.co, an HF mirror, or a peer
 * kokoro-edge mirror. Listing goes through @huggingface/hub with `hubUrl`;
 * file bytes through the resolve route (following the LFS redirect to the
 * CDN), with Range for resumes.
 */
import { tracedFetch, tracer } from "@kokoro-edge/runtime";
import { listFiles, modelInfo } from "@huggingface/hub";
import { errorForThrown, parseRetryAfter } from "./http-util";
import { openHttpFile } from "./http-file";
import { UpstreamError, type OpenedFile, type RemoteFile, type RemoteListing, type Upstream } from "./types";

export interface HfUpstreamOptions {
  timeoutMs: number;
  token?: string;
  fetch?: typeof fetch;
}

export const encodePath = (p: string) => p.split("/").map(encodeURIComponent).join("/");

export class HfUpstream implements Upstream {
  readonly kind = "hf";
  private readonly fetch: typeof fetch;

  constructor(
    readonly name: string,
    private readonly opts: HfUpstreamOptions,
  ) {
    // every upstream request is a CLIENT span that lasts until its body is read
    this.fetch = tracedFetch(tracer("model-mirror"), opts.fetch ?? fetch);
  }

  /** fetch with a whole-request timeout, remembering Retry-After (the hub library drops headers). */
  private timedFetch(box: { retryAfter: string | null }): typeof fetch {
    const f = (input: RequestInfo | URL, init?: RequestInit) =>
      this.fetch(input, {
        ...init,
        signal: AbortSignal.timeout(this.opts.timeoutMs),
        redirect: "follow",
      }).then((res) => {
        if (!res.ok) box.retryAfter = res.headers.get("retry-after");
        return res;
      });
    return f as typeof fetch;
  }

  async list(repo: string, revision: string): Promise<RemoteListing> {
    const what = `${this.name}: listing ${repo}@${revision}`;
    const box = { retryAfter: null as string | null };
    const common = {
      hubUrl: this.name,
      fetch: this.timedFetch(box),
      ...(this.opts.token ? { accessToken: this.opts.token } : {}),
    };
    try {
      const info = await modelInfo({ name: repo, revision, additionalFields: ["sha"], ...common });
      const commit = (info as { sha?: string }).sha;
      if (!commit || !/^[0-9a-f]{40}$/.test(commit))
        throw new UpstreamError("bad_listing", `${what}: no commit sha in the revision info`);
      const files: RemoteFile[] = [];
      for await (const e of listFiles({
        repo: { type: "model", name: repo },
        revision: commit,
        recursive: true,
        ...common,
      })) {
        if (e.type !== "file") continue;
        if (e.lfs)
          files.push({
            path: e.path,
            size: e.lfs.size ?? e.size,
            sha256: e.lfs.oid,
            gitOid: e.oid,
            lfs: true,
          });
        // A large file stored only in Xet, without the LFS pointer's sha256: its
        // `oid` names the pointer, not the content, so it cannot be verified here.
        else if (e.xetHash) files.push({ path: e.path, size: e.size, lfs: true });
        else files.push({ path: e.path, size: e.size, gitOid: e.oid, lfs: false });
      }
      for (const f of files) {
        if (!Number.isSafeInteger(f.size) || f.size < 0)
          throw new UpstreamError("bad_listing", `${what}: bad size for ${f.path}`);
        if (f.sha256 && !/^[0-9a-f]{64}$/.test(f.sha256))
          throw new UpstreamError("bad_listing", `${what}: bad LFS sha256 for ${f.path}`);
        if (!f.sha256 && !(f.gitOid && /^[0-9a-f]{40}$/.test(f.gitOid)))
          f.unverifiable = `${what}: lists ${f.path} without a sha256 or git blob sha1 to verify it against`;
      }
      return { commit, files };
    } catch (err) {
      const e = errorForThrown(err, what);
      const retryAfterMs = parseRetryAfter(box.retryAfter);
      if (retryAfterMs !== undefined && (e.kind === "rate_limited" || e.opts.status === 503))
        throw new UpstreamError(e.kind, e.message, { ...e.opts, retryAfterMs });
      throw e;
    }
  }

  open(
    repo: string,
    commit: string,
    path: string,
    offset: number,
    signal?: AbortSignal,
  ): Promise<OpenedFile> {
    return openHttpFile({
      fetch: this.fetch,
      url: `${this.name}/${repo}/resolve/${commit}/${encodePath(path)}`,
      what: `${this.name}: ${repo}/${path}`,
      offset,
      timeoutMs: this.opts.timeoutMs,
      signal,
      headers: this.opts.token ? { authorization: `Bearer ${this.opts.token}` } : {},
    });
  }
}
