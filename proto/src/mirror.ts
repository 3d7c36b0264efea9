import { z } from "zod";
import { contractVersion, ErrorReply } from "./common";

export const MirrorFile = z.object({
  repo: z.string(),
  revision: z.string(),
  commit: z.string(),
  path: z.string(),
  size: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** Absolute path in the mirror's store, for processes that share its disk. */
  local_path: z.string().optional(),
  /** HTTP URL on the mirror's CDN (the HF resolve route). */
  url: z.string().optional(),
});
export type MirrorFile = z.infer<typeof MirrorFile>;

export const MirrorLookupRequest = z.object({
  v: contractVersion,
  /** Defaults to the mirror's first configured repo. */
  repo: z.string().optional(),
  /** Defaults to the current verified version. */
  revision: z.string().optional(),
  /** An exact path, or a glob such as `voices/*.bin` or `onnx/*.onnx`. */
  path: z.string(),
});
export type MirrorLookupRequest = z.infer<typeof MirrorLookupRequest>;

export const MirrorLookupResult = z.object({
  v: contractVersion,
  files: z.array(MirrorFile),
});
export const MirrorLookupReply = z.union([MirrorLookupResult, ErrorReply]);
export type MirrorLookupReply = z.infer<typeof MirrorLookupReply>;

export const MirrorVersion = z.object({
  repo: z.string(),
  revision: z.string(),
  commit: z.string(),
  files: z.number().int().nonnegative(),
  completed_at: z.string(),
});
export type MirrorVersion = z.infer<typeof MirrorVersion>;

export const MirrorCurrentRequest = z.object({ v: contractVersion, repo: z.string().optional() });
export const MirrorCurrentResult = z.object({
  v: contractVersion,
  /** null when nothing verified is stored yet; `detail` then says why. */
  current: MirrorVersion.nullable(),
  detail: z.string(),
});
export const MirrorCurrentReply = z.union([MirrorCurrentResult, ErrorReply]);
export type MirrorCurrentReply = z.infer<typeof MirrorCurrentReply>;

export const MirrorUpdated = z.object({ v: contractVersion, version: MirrorVersion });
export type MirrorUpdated = z.infer<typeof MirrorUpdated>;
