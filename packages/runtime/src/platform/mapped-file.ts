/**
 * A file mapped into memory once per process and viewed from any thread of it.
 *
 * The synth worker's inference threads each run an onnxruntime session over the
 * same model bytes. Each thread mapping the file itself would share the page
 * cache's pages (PSS counts them once) but not resident memory: the kernel
 * counts a page once per mapping in RSS, and RSS is what operators' limits and
 * dashboards see. So one thread maps the file and hands its address to the
 * others, which view the same mapping without copying it.
 *
 * On Bun: `Bun.mmap` and bun:ffi's `ptr` / `toArrayBuffer`. Elsewhere there is
 * no mapping (`mapFile` answers undefined) and callers read the file instead.
 */
import { runtime } from "./runtime";

export interface MappedFile {
  /** The mapping itself: keep a reference to it for as long as any view is in use. */
  bytes: Uint8Array;
  /** Where it is in this process's address space, for `viewMapping` in another thread. */
  address: number;
  length: number;
}

/** Whether `mapFile` maps files in this runtime. */
export const canMapFiles = runtime === "bun";

/** Maps `path` read-only (private, never written), or undefined when this runtime cannot. */
export async function mapFile(path: string): Promise<MappedFile | undefined> {
  if (runtime !== "bun") return undefined;
  const { ptr } = await import("bun:ffi");
  const bytes = Bun.mmap(path, { shared: false });
  return { bytes, address: ptr(bytes), length: bytes.byteLength };
}

/**
 * The bytes of a mapping made by `mapFile` in this process (any thread). The view
 * does not own them: the thread that mapped the file must keep `bytes` alive.
 */
export async function viewMapping(address: number, length: number): Promise<Uint8Array> {
  if (runtime !== "bun") throw new Error("mapped files are only shared between threads on Bun");
  const { toArrayBuffer } = await import("bun:ffi");
  return new Uint8Array(toArrayBuffer(address, 0, length));
}
