import type { UpstreamSpec } from "../specs";
import { FolderUpstream } from "./folder";
import { HfUpstream, type HfUpstreamOptions } from "./hf";
import type { Upstream } from "./types";

export * from "./types";
export { FolderUpstream, parseSha256Sums } from "./folder";
export { HfUpstream } from "./hf";

export function makeUpstream(spec: UpstreamSpec, opts: HfUpstreamOptions): Upstream {
  return spec.kind === "folder" ? new FolderUpstream(spec.url, spec.dir) : new HfUpstream(spec.url, opts);
}
