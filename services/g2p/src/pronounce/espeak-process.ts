/**
 * Debian's espeak-ng (GPL-3.0) as a long-lived child process per voice, fed a line per word: the
 * only way g2p runs espeak, so its code stays behind a process boundary (no GPL code in ours).
 *
 * espeak-ng without `--stdin` reads its input a line at a time and answers each line with a line of
 * IPA, as soon as stdout is line-buffered (`stdbuf -oL`). A request writes its words, one per line,
 * then a sentinel line; the answer is every line before the sentinel's. Requests are served one at
 * a time, in order. A process that dies, or does not answer within `timeoutMs`, is killed; its
 * requests fail and the next request starts a new one.
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";

/** espeak-ng could not answer: not installed, died, closed or too slow (callers turn it into a 503). */
export class EspeakError extends Error {
  override name = "EspeakError";
}

const SENTINEL = "qqxkokoroedgeend";

export interface EspeakProcessOptions {
  /** espeak-ng's voice: en-us, en-gb, es, fr-fr, ... */
  voice: string;
  timeoutMs?: number;
  /** A character espeak-ng puts inside multi-letter phonemes (t^ʃ), as misaki asks for (`--tie`). */
  tie?: string;
  /** The command, for tests (default: stdbuf -oL espeak-ng). */
  command?: string[];
}

interface Pending {
  words: string[];
  lines: string[];
  resolve: (ipa: string[]) => void;
  reject: (err: Error) => void;
  timer?: ReturnType<typeof setTimeout>;
}

export class EspeakProcess {
  private child?: ChildProcessWithoutNullStreams;
  private sentinelIpa?: string;
  private queue: Pending[] = [];
  private current?: Pending;
  private buffered = "";
  /** Processes started (a restart after a death or a timeout counts). */
  starts = 0;
  /** Set when the program is not there: requests then fail at once instead of trying again. */
  private missing?: Error;

  constructor(private readonly opts: EspeakProcessOptions) {}

  /** IPA for each word (one line each), in order; [] when the answer has another number of lines. */
  async ipa(words: string[]): Promise<string[]> {
    const lines = await this.lines(words);
    // a line per word; espeak may skip a blank answer: line up what came, else each word is asked alone by the caller
    return lines.length === words.length ? lines : [];
  }

  /** Every line espeak-ng answered for these lines of text (it may cut a long one into clauses). Lines must not contain line breaks. */
  lines(words: string[]): Promise<string[]> {
    if (!words.length) return Promise.resolve([]);
    if (this.missing) return Promise.reject(this.missing);
    const clean = words.map((w) => w.replace(/[\r\n]+/g, " "));
    return new Promise((resolve, reject) => {
      this.queue.push({ words: clean, lines: [], resolve, reject });
      this.next();
    });
  }

  /** The process's id, while one runs (tests kill it to see a restart). */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  close(): void {
    const err = new EspeakError("espeak-ng was closed");
    for (const p of this.queue.splice(0)) p.reject(err);
    this.stop(err);
  }

  private start(): ChildProcessWithoutNullStreams {
    const [cmd, ...args] = this.opts.command ?? ["stdbuf", "-oL", "espeak-ng"];
    const child = spawn(
      cmd!,
      [...args, "-q", "--ipa", ...(this.opts.tie ? [`--tie=${this.opts.tie}`] : []), "-v", this.opts.voice],
      { stdio: "pipe" },
    );
    this.starts++;
    this.sentinelIpa = undefined;
    this.buffered = "";
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => this.onData(chunk));
    child.stderr.on("data", () => {}); // warnings about unknown voices etc. are not answers
    const died = (why: string) => {
      if (this.child !== child) return;
      this.stop(new EspeakError(`espeak-ng ${why}`));
    };
    child.on("error", (err) => {
      if ((err as NodeJS.ErrnoException).code === "ENOENT")
        this.missing = new EspeakError(`espeak-ng is not installed (${err.message})`);
      died(`could not run: ${err.message}`);
    });
    child.on("exit", (code, signal) => died(`exited (${signal ?? code})`));
    child.stdin.on("error", () => {}); // a write after its death: the exit handler fails the request
    this.child = child;
    return child;
  }

  private stop(err: Error) {
    const child = this.child;
    this.child = undefined;
    if (this.missing) for (const p of this.queue.splice(0)) p.reject(this.missing);
    if (this.current) {
      clearTimeout(this.current.timer);
      this.current.reject(err);
      this.current = undefined;
    }
    child?.kill("SIGKILL");
    if (this.queue.length) setImmediate(() => this.next());
  }

  private next() {
    if (this.current || !this.queue.length) return;
    const p = this.queue.shift()!;
    this.current = p;
    const child = this.child ?? this.start();
    p.timer = setTimeout(
      () => this.stop(new EspeakError(`espeak-ng did not answer within ${this.opts.timeoutMs ?? 5_000} ms`)),
      this.opts.timeoutMs ?? 5_000,
    );
    // The sentinel alone first on a new process: its own line tells what the end marker sounds like.
    const text =
      (this.sentinelIpa === undefined ? `${SENTINEL}\n` : "") + `${p.words.join("\n")}\n${SENTINEL}\n`;
    child.stdin.write(text);
  }

  private onData(chunk: string) {
    this.buffered += chunk;
    let nl: number;
    while ((nl = this.buffered.indexOf("\n")) >= 0) {
      const line = this.buffered.slice(0, nl).trim();
      this.buffered = this.buffered.slice(nl + 1);
      this.onLine(line);
    }
  }

  private onLine(line: string) {
    if (this.sentinelIpa === undefined) {
      this.sentinelIpa = line;
      return;
    }
    const p = this.current;
    if (!p) return;
    if (line !== this.sentinelIpa) {
      p.lines.push(line);
      return;
    }
    clearTimeout(p.timer);
    this.current = undefined;
    p.resolve(p.lines);
    this.next();
  }
}
