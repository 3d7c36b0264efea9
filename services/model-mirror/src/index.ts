export { startMirror, type Mirror, type MirrorDeps } from "./service";
export { mirrorConfig, type MirrorConfig, DEFAULT_REPOS } from "./config";
export { parseRepoSpecs, parseUpstreams, type RepoSpec, type UpstreamSpec } from "./specs";
