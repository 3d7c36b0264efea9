/** What the mirror needs from any source of model files. */

export interface RemoteFile {
  path: string;
  /** As listed. A folder's listing takes it from its own copy, which may be the broken one: then `sizeTrusted` is false and only the checksum decides. */
  size: number;
  sizeTrusted?: boolean;
  /** LFS oid, or from SHA256SUMS. */
  sha256?: string;
  /** Git blob sha1 (HF listings of non-LFS files). */
  gitOid?: string;
  lfs: boolean;
  /** Set when the listing gives nothing to verify the bytes against: such a file is never fetched. */
  unverifiable?: string;
}

export interface RemoteListing {
  commit: string;
  files: RemoteFile[];
}

export type FailureKind =
  | "unreachable"
  | "timeout"
  | "http_5xx"
  | "rate_limited"
  | "not_found"
  | "http_4xx"
  | "truncated"
  | "integrity"
  | "bad_listing";

export class UpstreamError extends Error {
  constructor(
    readonly kind: FailureKind,
    message: string,
    readonly opts: { status?: number; retryAfterMs?: number; cause?: unknown } = {},
  ) {
    super(message, { cause: opts.cause });
    this.name = "UpstreamError";
  }
  /** Failures that say the upstream is unhealthy (they count towards its circuit breaker). */
  get countsAgainstUpstream(): boolean {
    return this.kind !== "not_found" && this.kind !== "http_4xx";
  }
}

export interface OpenedFile {
  body: ReadableStream<Uint8Array>;
  /** Where the body starts: the requested offset when the upstream honoured the Range, else 0. */
  offset: number;
  /** Abort the transfer. */
  cancel(): void;
}

export interface Upstream {
  /** As configured (a URL), for logs, rows and metrics. */
  readonly name: string;
  readonly kind: "hf" | "folder" | "raw";
  /** Resolve a revision to a commit and list the repo's files with their checksums. */
  list(repo: string, revision: string): Promise<RemoteListing>;
  /** Open a file's bytes from `offset`; `signal` aborts the transfer (shutdown). */
  open(repo: string, commit: string, path: string, offset: number, signal?: AbortSignal): Promise<OpenedFile>;
}
