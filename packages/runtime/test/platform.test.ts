/**
 * The runtime seam (src/platform) on both runtimes: the same small server
 * (fixtures/platform-server.ts) runs on Bun and on the pinned Deno, and a
 * client checks what each adapter does there: HTTP with the client's address,
 * a port in use said in one line, a body limit, file ranges, WebSocket echo of
 * text and binary frames, forced GC and a worker thread.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Subprocess } from "bun";

const repoRoot = join(import.meta.dir, "..", "..", "..");
const server = join(import.meta.dir, "fixtures", "platform-server.ts");
const commands = {
  bun: [process.execPath, server],
  deno: [
    join(repoRoot, "node_modules", ".bin", "deno"),
    "run",
    "--allow-net",
    "--allow-env",
    "--allow-read",
    "--v8-flags=--expose-gc",
    server,
  ],
};

/** Keep this process's event loop from running (and so from reading its sockets) for `ms`. */
const blockFor = (ms: number) => Bun.sleepSync(ms);
const file = join(mkdtempSync(join(tmpdir(), "ke-platform-")), "bytes.bin");
const bytes = Uint8Array.from({ length: 600_000 }, (_, i) => (i * 7) & 0xff);
writeFileSync(file, bytes);

for (const [runtime, cmd] of Object.entries(commands)) {
  describe(`the runtime seam on ${runtime}`, () => {
    let proc: Subprocess<"ignore", "pipe", "pipe">;
    let base = "";
    let second = "";

    beforeAll(async () => {
      proc = Bun.spawn(cmd, {
        cwd: repoRoot,
        env: { ...process.env, FILE: file, NO_COLOR: "1" },
        stdout: "pipe",
        stderr: "pipe",
      });
      const reader = proc.stdout.getReader();
      let out = "";
      while (!out.includes("\n")) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`${runtime} exited: ${await new Response(proc.stderr).text()}`);
        out += new TextDecoder().decode(value);
      }
      reader.releaseLock();
      const line = JSON.parse(out.split("\n")[0]!) as { port: number; second: string };
      base = `http://127.0.0.1:${line.port}`;
      second = line.second;
    }, 60_000);
    afterAll(async () => {
      proc?.kill("SIGTERM");
      await proc?.exited;
    });

    test("serves HTTP and knows the client's address through Hono's adapter for the runtime", async () => {
      const r = (await (await fetch(`${base}/whoami`)).json()) as { runtime: string; address: string };
      expect(r.runtime).toStartWith(`${runtime} `);
      expect(r.address).toBe("127.0.0.1");
    });

    test("a port in use is the same one line on both runtimes", () => {
      const port = new URL(base).port;
      expect(second).toBe(
        `StartupError: port ${port} is already in use: set OTHER_PORT to a free port (for example OTHER_PORT=${Number(port) + 10})`,
      );
    });

    test("a body over maxRequestBodySize is refused with 413, one within it is read", async () => {
      expect((await fetch(`${base}/body`, { method: "POST", body: new Uint8Array(1024) })).status).toBe(200);
      const res = await fetch(`${base}/body`, { method: "POST", body: new Uint8Array(4096) });
      expect(res.status).toBe(413);
    });

    test("files: the whole file and byte ranges, byte for byte", async () => {
      const whole = await fetch(`${base}/file`);
      expect(whole.headers.get("x-size")).toBe(String(bytes.length));
      expect(new Uint8Array(await whole.arrayBuffer())).toEqual(bytes);
      for (const [start, end] of [
        [0, 1],
        [1000, 300_000],
        [262_143, 262_145],
        [599_000, 600_000],
      ] as const) {
        const part = new Uint8Array(
          await (await fetch(`${base}/file?start=${start}&end=${end}`)).arrayBuffer(),
        );
        expect({
          start,
          end,
          len: part.length,
          same: Buffer.compare(part, bytes.subarray(start, end)) === 0,
        }).toEqual({ start, end, len: end - start, same: true });
      }
    });

    test("WebSocket upgrades: text and binary frames echo", async () => {
      const ws = new WebSocket(`${base.replace("http", "ws")}/ws`);
      ws.binaryType = "arraybuffer";
      const got: unknown[] = [];
      await new Promise<void>((resolve, reject) => {
        ws.onopen = () => {
          ws.send("hello");
          ws.send(Uint8Array.of(1, 2, 3));
        };
        ws.onmessage = (e) => {
          got.push(typeof e.data === "string" ? e.data : [...new Uint8Array(e.data as ArrayBuffer)]);
          if (got.length === 2) resolve();
        };
        ws.onerror = () => reject(new Error("websocket error"));
        setTimeout(() => reject(new Error(`timed out with ${JSON.stringify(got)}`)), 5000);
      });
      ws.close();
      expect(got).toEqual(["echo:hello", [3, 2, 1]]);
    });

    test("upgradeSocket: the subprotocol answered, text and binary echo, backpressure with drain, an over-large message closes with 1009", async () => {
      expect((await fetch(`${base}/socket`)).status).toBe(426);
      const ws = new WebSocket(`${base.replace("http", "ws")}/socket`, ["token", "my-key"]);
      ws.binaryType = "arraybuffer";
      const got: unknown[] = [];
      let bytes = 0;
      let closed: { code: number } | undefined;
      let done = "";
      ws.onmessage = (e) => {
        if (typeof e.data === "string") {
          if (e.data.startsWith("done")) done = e.data;
          got.push(e.data);
        } else if ((e.data as ArrayBuffer).byteLength === 65536) {
          // At the burst's first frame this client stops reading for a moment, as a slow one would: the
          // burst (19.7 MB) then outgrows the kernel's socket buffers and the server must wait for drain.
          // (Reading at full speed, a client on another core can keep up: the server saw no backpressure.)
          if (bytes === 0) blockFor(500);
          bytes += 65536;
        } else got.push([...new Uint8Array(e.data as ArrayBuffer)]);
      };
      ws.onclose = (e) => (closed = { code: e.code });
      await new Promise<void>(
        (r, j) => ((ws.onopen = () => r()), (ws.onerror = () => j(new Error("websocket error")))),
      );
      expect(ws.protocol).toBe("token");
      ws.send("hello");
      ws.send(Uint8Array.of(1, 2, 3));
      const until = async (what: string, ok: () => boolean) => {
        for (let t0 = Date.now(); !ok(); await Bun.sleep(5))
          if (Date.now() - t0 > 10_000)
            throw new Error(`timed out waiting for ${what}: ${JSON.stringify(got).slice(0, 200)}`);
      };
      await until("the echoes", () => got.length >= 2);
      expect(got.slice(0, 2)).toEqual(["socket:hello", [3, 2, 1]]);
      bytes = 0;
      ws.send("burst");
      await until("the burst", () => done !== "");
      expect(bytes).toBe(300 * 65536);
      expect(Number(/drains=(\d+)/.exec(done)![1])).toBeGreaterThan(0);
      ws.send("x".repeat(5000));
      await until("the close", () => closed !== undefined);
      expect(closed!.code).toBe(1009);
    });

    test("a forced garbage collection runs (Deno started with --v8-flags=--expose-gc)", async () => {
      expect(await (await fetch(`${base}/gc`)).json()).toEqual({ collected: true });
    });

    test("a worker thread runs a TypeScript module and answers", async () => {
      const r = (await (await fetch(`${base}/worker`)).json()) as { doubled: number; runtime: string };
      expect(r.doubled).toBe(42);
      expect(r.runtime).toStartWith(`${runtime} `);
    });
  });
}
