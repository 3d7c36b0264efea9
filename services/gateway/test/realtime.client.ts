/**
 * A realtime socket as a test sees it, through the `ws` client from npm (the
 * one Node agents use): every message kept in order, with its arrival time,
 * and helpers to wait for one. Also the pacing of an LLM: text cut into
 * word-sized tokens sent at a given rate.
 */
import WebSocket from "ws";

export type Received =
  { at: number; kind: "json"; msg: Record<string, unknown> } | { at: number; kind: "audio"; bytes: Buffer };

export class TestSocket {
  readonly received: Received[] = [];
  readonly opened: Promise<void>;
  readonly closed: Promise<{ code: number; reason: string }>;
  private listeners: Array<() => void> = [];

  constructor(readonly ws: WebSocket) {
    ws.on("message", (data, isBinary) => {
      const at = performance.now();
      if (isBinary) this.received.push({ at, kind: "audio", bytes: Buffer.from(data as Buffer) });
      else this.received.push({ at, kind: "json", msg: JSON.parse(String(data)) });
      for (const l of this.listeners) l();
    });
    this.opened = new Promise((resolve, reject) => {
      ws.once("open", () => resolve());
      ws.once("error", reject);
      ws.once("unexpected-response", (_req, res) =>
        reject(new Error(`handshake refused: HTTP ${res.statusCode}`)),
      );
    });
    this.closed = new Promise((resolve) =>
      ws.once("close", (code, reason) => {
        resolve({ code, reason: String(reason) });
        for (const l of this.listeners) l();
      }),
    );
    this.opened.catch(() => {});
  }

  static async open(
    url: string,
    opts: { headers?: Record<string, string>; protocols?: string[] } = {},
  ): Promise<TestSocket> {
    const s = new TestSocket(new WebSocket(url, opts.protocols ?? [], { headers: opts.headers }));
    await s.opened;
    return s;
  }

  send(obj: unknown) {
    this.ws.send(typeof obj === "string" ? obj : JSON.stringify(obj));
  }

  json(type?: string) {
    return this.received
      .filter(
        (r): r is Extract<Received, { kind: "json" }> =>
          r.kind === "json" && (type === undefined || r.msg.type === type),
      )
      .map((r) => r.msg);
  }

  audioAfter(index = 0): Buffer {
    return Buffer.concat(
      this.received
        .slice(index)
        .filter((r): r is Extract<Received, { kind: "audio" }> => r.kind === "audio")
        .map((r) => r.bytes),
    );
  }

  /** Wait until `pred` holds for some message received from index `from` on; returns that message's index. */
  waitFor(pred: (r: Received) => boolean, timeoutMs = 20_000, from = 0): Promise<number> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const i = this.received.findIndex((r, k) => k >= from && pred(r));
        if (i >= 0) {
          done();
          resolve(i);
        } else if (this.ws.readyState === WebSocket.CLOSED) {
          done();
          reject(new Error(`socket closed while waiting; received ${JSON.stringify(this.json())}`));
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`timed out; received ${JSON.stringify(this.json())}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.listeners = this.listeners.filter((l) => l !== check);
      };
      this.listeners.push(check);
      check();
    });
  }

  waitJson(type: string, timeoutMs?: number, from = 0) {
    return this.waitFor((r) => r.kind === "json" && r.msg.type === type, timeoutMs, from);
  }
}

/** Text as an LLM streams it: word-sized tokens (a word with the space before it, punctuation apart). */
export function llmTokens(text: string): string[] {
  return text.match(/\s*[\w'’]+|\s*[^\w\s]|\s+$/g) ?? [text];
}

/** Send tokens at `perSecond`, calling `send` for each; returns when the last was sent. */
export async function paced(
  tokens: string[],
  perSecond: number,
  send: (t: string) => void,
  signal?: { stop: boolean },
) {
  const gap = 1000 / perSecond;
  const t0 = performance.now();
  for (let i = 0; i < tokens.length; i++) {
    if (signal?.stop) return;
    const due = t0 + i * gap - performance.now();
    if (due > 0) await new Promise((r) => setTimeout(r, due));
    send(tokens[i]!);
  }
}

export const int16 = (b: Buffer) =>
  new Int16Array(b.buffer.slice(b.byteOffset, b.byteOffset + (b.length & ~1)));
