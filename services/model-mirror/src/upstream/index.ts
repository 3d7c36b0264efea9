import type { UpstreamSpec } from "../specs";
import { FolderUpstream } from "./folder";
import { HfUpstream, type HfUpstreamOptions } from "./hf";
import { RawUpstream } from "./raw";
import type { Upstream } from "./types";

export * from "./types";
export { FolderUpstream, parseSha256Sums } from "./folder";
export { HfUpstream } from "./hf";
export { RawUpstream } from "./raw";

export function makeUpstream(spec: UpstreamSpec, opts: HfUpstreamOptions): Upstream {
  if (spec.kind === "folder") return new FolderUpstream(spec.url, spec.dir);
  return spec.kind === "raw" ? new RawUpstream(spec.url, opts) : new HfUpstream(spec.url, opts);
}
