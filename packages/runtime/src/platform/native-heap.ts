/**
 * Giving freed native memory back to the system. onnxruntime and other native
 * code allocate with the C library's malloc; what they free stays in malloc's
 * arenas (one per thread that allocated), counted in resident memory, until
 * malloc trims it. glibc trims the top of a heap only, and only past a
 * threshold; `malloc_trim(0)` also returns the free pages inside every arena.
 *
 * On Bun, glibc's `malloc_trim` through bun:ffi; elsewhere (Deno, or a C library
 * without it, such as musl) nothing is done and `trimNativeHeap` says so.
 */
import { runtime } from "./runtime";

let trim: (() => number) | null | undefined;

async function loadTrim(): Promise<(() => number) | null> {
  if (runtime !== "bun") return null;
  try {
    const { dlopen, FFIType } = await import("bun:ffi");
    const libc = dlopen("libc.so.6", { malloc_trim: { args: [FFIType.u64], returns: FFIType.i32 } });
    return () => libc.symbols.malloc_trim(0);
  } catch {
    return null; // not glibc
  }
}

/** Returns freed native memory to the system (all threads' arenas). False when it cannot here. */
export async function trimNativeHeap(): Promise<boolean> {
  if (trim === undefined) trim = await loadTrim();
  if (!trim) return false;
  trim();
  return true;
}
