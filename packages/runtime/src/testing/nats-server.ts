/**
 * A private nats-server for one test file, with a WebSocket listener beside
 * the TCP one: the edge path (NATS_URL=ws://...) needs a server configured
 * for it, which the shared test server is not. Ports are picked by the server
 * (no race with other tests) and read back from its log.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface PrivateNats {
  /** nats://127.0.0.1:PORT */
  url: string;
  /** ws://127.0.0.1:PORT */
  wsUrl: string;
  /** The monitoring endpoint (http://127.0.0.1:PORT): /connz says which client came over which transport. */
  monitorUrl: string;
  stop(): Promise<void>;
}

/** NATS_SERVER_BIN, else Debian's /usr/sbin/nats-server, else `nats-server` on PATH. */
export const natsServerBin =
  process.env.NATS_SERVER_BIN ??
  (existsSync("/usr/sbin/nats-server") ? "/usr/sbin/nats-server" : "nats-server");

/** `wsToken`: WebSocket clients must present this token (as the cluster's listener asks), TCP clients need none. */
export async function startPrivateNats(opts: { wsToken?: string } = {}): Promise<PrivateNats> {
  const dir = mkdtempSync(join(tmpdir(), "ke-nats-"));
  const conf = join(dir, "nats.conf");
  writeFileSync(
    conf,
    [
      'listen: "127.0.0.1:-1"',
      'http: "127.0.0.1:-1"',
      "websocket {",
      '  listen: "127.0.0.1:-1"',
      "  no_tls: true",
      ...(opts.wsToken ? ["  authorization {", `    token: "${opts.wsToken}"`, "  }"] : []),
      "}",
      "",
    ].join("\n"),
  );
  const proc = spawn(natsServerBin, ["-c", conf], { stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  const exited = new Promise<void>((r) => proc.once("exit", () => r()));
  const ready = new Promise<{ url: string; wsUrl: string; monitorUrl: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`nats-server did not start in 10 s:\n${log}`)), 10_000);
    const onData = (b: Buffer) => {
      log += b.toString();
      const tcp = /Listening for client connections on ([\d.]+:\d+)/.exec(log);
      const ws = /Listening for websocket clients on (ws:\/\/[\d.]+:\d+)/.exec(log);
      const monitor = /Starting http monitor on ([\d.]+:\d+)/.exec(log);
      if (tcp && ws && monitor && /Server is ready/.test(log)) {
        clearTimeout(timer);
        resolve({ url: `nats://${tcp[1]}`, wsUrl: ws[1]!, monitorUrl: `http://${monitor[1]}` });
      }
    };
    proc.stdout!.on("data", onData);
    proc.stderr!.on("data", onData);
    proc.once(
      "error",
      (err) => (clearTimeout(timer), reject(new Error(`cannot start ${natsServerBin}: ${err.message}`))),
    );
    proc.once(
      "exit",
      (code) => (clearTimeout(timer), reject(new Error(`nats-server exited (${code}):\n${log}`))),
    );
  });
  const stop = async () => {
    proc.kill("SIGTERM");
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    if (proc.exitCode === null) proc.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    return { ...(await ready), stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
