/**
 * Every speech stream's outcome as a row of `speech_requests`: who (API key),
 * what (voice, format, input size), and how it went (status, error code,
 * time to first audio, seconds of audio). Written when the stream ends;
 * a failed insert is retried, then logged in full so usage is never lost silently.
 */
import { toWireError, tables, type Db, type Logger } from "@kokoro-edge/runtime";
import type { Caller } from "../auth/caller";

/** How a speech request ended, as the usage record keeps it. */
export interface SpeechOutcome {
  requestId: string;
  voice: string;
  format: string;
  inputChars: number;
  status: "ok" | "error" | "cancelled";
  audioSeconds: number;
  ttfaMs?: number;
  error?: unknown;
}

interface Pending {
  keyId?: string;
  model?: string;
}

export class UsageRecorder {
  private pending = new Map<string, Pending>();
  private writes = new Set<Promise<void>>();

  constructor(
    private readonly db: Db,
    private readonly log: Logger,
    private readonly route = "/v1/audio/speech",
  ) {}

  begin(requestId: string, caller: Caller) {
    this.pending.set(requestId, { keyId: caller.key?.id });
  }

  respond(requestId: string, res: Response) {
    const p = this.pending.get(requestId);
    if (p) p.model = res.headers.get("x-kokoro-model") ?? undefined;
  }

  end(requestId: string) {
    // The speech route reports its outcome before its body ends; keep the entry a moment for late reports.
    setTimeout(() => this.pending.delete(requestId), 1_000).unref?.();
  }

  /** The onSpeechDone hook. */
  record(o: SpeechOutcome) {
    const p = this.pending.get(o.requestId) ?? {};
    const row = {
      id: o.requestId,
      apiKeyId: p.keyId ?? null,
      route: this.route,
      model: p.model ?? null,
      voice: o.voice,
      inputChars: o.inputChars,
      responseFormat: o.format,
      status: o.status,
      errorCode: o.status === "error" ? toWireError(o.error).code : null,
      ttfaMs: o.ttfaMs === undefined ? null : Math.round(o.ttfaMs),
      audioSeconds: o.audioSeconds,
      finishedAt: new Date(),
    };
    const w = this.write(row).finally(() => this.writes.delete(w));
    this.writes.add(w);
  }

  /** Resolves when every write in progress is done (tests, shutdown). */
  async flush() {
    await Promise.all([...this.writes]);
  }

  private async write(row: typeof tables.speechRequests.$inferInsert) {
    for (let attempt = 1; ; attempt++) {
      try {
        const done = await this.db
          .insert(tables.speechRequests)
          .values(row)
          .onConflictDoNothing()
          .returning({ id: tables.speechRequests.id });
        if (done.length) return;
        // A client reused its x-request-id: keep both rows.
        row = { ...row, id: `${row.id}#${crypto.randomUUID().slice(0, 8)}` };
      } catch (err) {
        if (attempt >= 3) {
          this.log.error("usage record lost from the database; logged here instead", {
            usage: row,
            error: (err as Error).message,
          });
          return;
        }
        await new Promise((r) => setTimeout(r, 200 * attempt));
      }
    }
  }
}
