/**
 * Files as response bodies (whole, or a byte range for Range requests). On
 * Bun a `Bun.file` slice, which Bun sends with sendfile; elsewhere a stream
 * read with node:fs, which Deno (and Node) provide. Parsing Range headers is
 * the routes' business; this only hands out bytes.
 */
import { open, stat, type FileHandle } from "node:fs/promises";
import { runtime } from "./runtime";

export interface FileSource {
  /** False when there is no such file (then `size` is 0). */
  exists: boolean;
  size: number;
  /** Bytes `[start, end)` as a body for `new Response(...)`; the whole file without arguments. */
  body(start?: number, end?: number): BodyInit;
}

/** The file at `path` as it is now (its size is read once, here). */
export async function openFile(path: string): Promise<FileSource> {
  if (runtime === "bun") {
    const file = Bun.file(path);
    const exists = await file.exists();
    return {
      exists,
      size: exists ? file.size : 0,
      body: (start, end) => (start === undefined && end === undefined ? file : file.slice(start, end)),
    };
  }
  const st = await stat(path).catch(() => undefined);
  const size = st?.isFile() ? st.size : 0;
  return {
    exists: !!st?.isFile(),
    size,
    body: (start = 0, end = size) => readStream(path, start, Math.min(end, size)),
  };
}

const CHUNK = 256 * 1024;

/** `[start, end)` of a file, read as the consumer pulls (a slow client holds one chunk, not the file). */
function readStream(path: string, start: number, end: number): ReadableStream<Uint8Array> {
  let fh: FileHandle | undefined;
  let pos = start;
  const close = () => {
    const f = fh;
    fh = undefined;
    return f?.close().catch(() => {});
  };
  return new ReadableStream<Uint8Array>(
    {
      async pull(ctl) {
        try {
          fh ??= await open(path, "r");
          const want = Math.min(CHUNK, end - pos);
          if (want <= 0) {
            await close();
            return ctl.close();
          }
          const buf = new Uint8Array(want);
          const { bytesRead } = await fh.read(buf, 0, want, pos);
          if (bytesRead === 0) throw new Error(`${path} ended at byte ${pos}, before ${end}`);
          pos += bytesRead;
          ctl.enqueue(bytesRead === want ? buf : buf.subarray(0, bytesRead));
        } catch (err) {
          await close();
          ctl.error(err);
        }
      },
      cancel: () => close(),
    },
    { highWaterMark: 0 },
  );
}
