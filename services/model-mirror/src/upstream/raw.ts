/**
 * A plain HTTPS source of pinned files, such as GitHub's raw files:
 * `{base}/{owner}/{name}/{commit}/{path}`. It cannot list anything; it only
 * serves files whose sha256 the configuration already pins.
 */
import { tracedFetch, tracer } from "@kokoro-edge/runtime";
import { encodePath, type HfUpstreamOptions } from "./hf";
import { openHttpFile } from "./http-file";
import { UpstreamError, type OpenedFile, type RemoteListing, type Upstream } from "./types";

export class RawUpstream implements Upstream {
  readonly kind = "raw";
  private readonly fetch: typeof fetch;

  constructor(
    readonly name: string,
    private readonly opts: HfUpstreamOptions,
  ) {
    // every upstream request is a CLIENT span that lasts until its body is read
    this.fetch = tracedFetch(tracer("model-mirror"), opts.fetch ?? fetch);
  }

  async list(repo: string, revision: string): Promise<RemoteListing> {
    throw new UpstreamError(
      "not_found",
      `${this.name}: a raw file source cannot list ${repo}@${revision}; it serves pinned files only`,
    );
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
      url: `${this.name}/${repo}/${commit}/${encodePath(path)}`,
      what: `${this.name}: ${repo}@${commit.slice(0, 12)}/${path}`,
      offset,
      timeoutMs: this.opts.timeoutMs,
      signal,
    });
  }
}
