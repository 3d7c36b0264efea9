/**
 * Counts the statements a client sends to Postgres, read off the wire (the
 * frontend protocol) by a TCP proxy in front of the database: a simple Query
 * is one, and so is each Sync of the extended protocol (postgres-js sends one
 * per statement). Unlike pg_stat_database, which a backend updates up to
 * seconds late and which counts every client of the database, this is exactly
 * what one process sent, when it sent it.
 */
import { startTcpProxy, type TcpProxy } from "./tcp-proxy";

/** Requests a client may send before its startup message (the server answers each with one byte). */
const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;

/** A parser of one connection's client-to-server bytes; `onStatement` runs for each statement sent. */
export function frontendStatementCounter(onStatement: () => void): (chunk: Buffer) => void {
  let buf: Buffer = Buffer.alloc(0);
  let startup = true; // the first messages have no type byte
  return (chunk) => {
    buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
    for (;;) {
      if (startup) {
        if (buf.length < 8) return;
        const len = buf.readInt32BE(0);
        if (buf.length < len) return;
        const code = buf.readInt32BE(4);
        if (code !== SSL_REQUEST && code !== GSSENC_REQUEST) startup = false;
        buf = buf.subarray(len);
        continue;
      }
      if (buf.length < 5) return;
      const type = String.fromCharCode(buf[0]!);
      const len = buf.readInt32BE(1);
      if (buf.length < 1 + len) return;
      if (type === "Q" || type === "S") onStatement();
      buf = buf.subarray(1 + len);
    }
  };
}

export interface CountingPgProxy {
  /** A database URL that goes through the proxy. */
  url: string;
  /** Statements sent through it so far, by every connection. */
  statements(): number;
  close(): Promise<void>;
}

/** A proxy in front of the database at `databaseUrl` that counts the statements sent through it. */
export async function countingPgProxy(databaseUrl: string): Promise<CountingPgProxy> {
  let n = 0;
  const target = new URL(databaseUrl);
  const proxy: TcpProxy = await startTcpProxy(target.hostname, Number(target.port || 5432), {
    tapClient: () => frontendStatementCounter(() => n++),
  });
  const url = new URL(databaseUrl);
  url.hostname = "127.0.0.1";
  url.port = String(proxy.port);
  return { url: url.toString(), statements: () => n, close: () => proxy.close() };
}
