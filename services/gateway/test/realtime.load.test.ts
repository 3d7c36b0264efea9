/**
 * The realtime sockets under abuse, on the one-process stack: a client that
 * stops reading holds the synth back (backpressure, not memory), and
 * thousands of sockets opened and dropped leave no slot, stream or memory
 * behind (RSS measured before and after, in this process, which runs the
 * gateway).
 */
import { beforeAll, expect, test } from "bun:test";
import * as net from "node:net";
import WebSocket from "ws";
import type { Stack } from "../../stack";
import { sharedStack } from "./api.stack";
import { TestSocket } from "./realtime.client";

let s: Stack;
let wsBase: string;
beforeAll(async () => {
  s = await sharedStack();
  wsBase = s.url.replace(/^http/, "ws");
});

async function metric(name: string): Promise<number> {
  const text = await (await fetch(`${s.url}/metrics`)).text();
  const m = new RegExp(`^${name}(?:\\{[^}]*\\})?\\s+([0-9.e+-]+)`, "m").exec(text);
  return m ? Number(m[1]) : 0;
}

const SENTENCE =
  "A slow listener must not make the server buffer the whole answer in memory, so the synth waits for it. ";

/**
 * A client that can stop reading: the handshake by hand over node:net, then
 * frames parsed from what it reads (Bun's `ws` gives no access to the TCP socket).
 */
async function rawClient(path: string) {
  const { port } = new URL(s.url);
  const sock = net.connect(Number(port), "127.0.0.1");
  await new Promise<void>((r) => sock.once("connect", () => r()));
  sock.write(
    `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${Buffer.from("0123456789abcdef").toString("base64")}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
  );
  let buf = Buffer.alloc(0);
  let handshaken = false;
  let audioBytes = 0;
  const texts: string[] = [];
  sock.on("data", (d: Buffer) => {
    buf = Buffer.concat([buf, d]);
    if (!handshaken) {
      const end = buf.indexOf("\r\n\r\n");
      if (end < 0) return;
      handshaken = true;
      buf = buf.subarray(end + 4);
    }
    while (buf.length >= 2) {
      let len = buf[1]! & 0x7f;
      let off = 2;
      if (len === 126) {
        if (buf.length < 4) return;
        len = buf.readUInt16BE(2);
        off = 4;
      } else if (len === 127) {
        if (buf.length < 10) return;
        len = Number(buf.readBigUInt64BE(2));
        off = 10;
      }
      if (buf.length < off + len) return;
      const op = buf[0]! & 0x0f;
      if (op === 2) audioBytes += len;
      if (op === 1) texts.push(buf.subarray(off, off + len).toString());
      buf = buf.subarray(off + len);
    }
  });
  const send = (obj: unknown) => {
    const payload = Buffer.from(JSON.stringify(obj));
    const mask = Buffer.from([1, 2, 3, 4]);
    const head =
      payload.length < 126
        ? Buffer.from([0x81, 0x80 | payload.length])
        : Buffer.from([0x81, 0x80 | 126, payload.length >> 8, payload.length & 255]);
    const body = Buffer.from(payload.map((b, i) => b ^ mask[i % 4]!));
    sock.write(Buffer.concat([head, mask, body]));
  };
  return { sock, send, texts, audio: () => audioBytes };
}

test("a client that stops reading holds the synth back; when it reads again it gets everything", async () => {
  const c = await rawClient("/v1/speak?encoding=linear16&sample_rate=48000");
  await waitUntil(() => c.texts.some((t) => t.includes("Metadata")));
  const before = await metric("kokoro_synth_audio_seconds_total");
  c.sock.pause(); // the client reads nothing from now on
  for (let i = 0; i < 6; i++) c.send({ type: "Speak", text: SENTENCE.repeat(10) });
  c.send({ type: "Flush" });
  await new Promise((r) => setTimeout(r, 2500));
  const madeWhilePaused = (await metric("kokoro_synth_audio_seconds_total")) - before;
  c.sock.resume();
  await waitUntil(() => c.texts.some((t) => t.includes("Flushed")), 120_000);
  const total = c.audio() / 2 / 48000;
  // Made while paused: what the kernel's socket buffers, our high-water mark and the credit hold; far from all.
  console.log(
    `realtime backpressure: ${madeWhilePaused.toFixed(1)} s of ${total.toFixed(1)} s made while the client read nothing`,
  );
  expect(total).toBeGreaterThan(100);
  expect(madeWhilePaused).toBeLessThan(total / 2);
  c.sock.destroy();
}, 180_000);

async function waitUntil(pred: () => boolean, timeoutMs = 20_000) {
  const t0 = performance.now();
  while (!pred()) {
    if (performance.now() - t0 > timeoutMs) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 10));
  }
}

test("10,000 sockets opened and dropped (200 at a time): no crash, nothing left over, RSS bounded", async () => {
  const gc = () => (globalThis as { Bun?: { gc(full: boolean): void } }).Bun?.gc(true);
  // Warm up, then measure.
  const one = async (k: number) => {
    const ws = new WebSocket(`${wsBase}/v1/speak`);
    await new Promise<void>((resolve) => {
      ws.once("open", () => {
        if (k % 3 === 0) ws.send(JSON.stringify({ type: "Speak", text: "Dropped before a phrase end" }));
        if (k % 3 === 1)
          ws.terminate(); // no close frame: the TCP connection just ends
        else ws.close();
      });
      ws.once("close", () => resolve());
      ws.once("error", () => resolve());
    });
  };
  const wave = async (from: number, n: number) => {
    for (let i = from; i < from + n; i += 200)
      await Promise.all(Array.from({ length: Math.min(200, from + n - i) }, (_, k) => one(i + k)));
  };
  await wave(0, 1000);
  const settle = async () => {
    await new Promise((r) => setTimeout(r, 1000));
    gc();
    const m = process.memoryUsage();
    return { rss: m.rss, heap: m.heapUsed };
  };
  const rss0 = await settle();
  const t0 = performance.now();
  await wave(1000, 5000);
  const rss1 = await settle();
  await wave(6000, 5000);
  const secs = (performance.now() - t0) / 1000;
  const rss2 = await settle();
  const mib = (x: number) => (x / 2 ** 20).toFixed(0);
  console.log(
    `10,000 sockets in ${secs.toFixed(1)} s; RSS ${mib(rss0.rss)} MiB before, ${mib(rss1.rss)} MiB after 5,000, ${mib(rss2.rss)} MiB after 10,000; JS heap ${mib(rss0.heap)}, ${mib(rss1.heap)}, ${mib(rss2.heap)} MiB`,
  );
  expect(await metric("kokoro_active_streams")).toBe(0);
  // The second 5,000 leave no more live objects than the first: nothing accumulates per socket
  // (the JS heap after a full collection; RSS also moves with the allocator and the other test files' work).
  expect(rss2.heap - rss1.heap).toBeLessThan(8 * 2 ** 20);
  expect(rss2.rss - rss0.rss).toBeLessThan(128 * 2 ** 20);
  // Still serving.
  const ws = await TestSocket.open(`${wsBase}/v1/speak`);
  ws.send({ type: "Speak", text: "Still here." });
  ws.send({ type: "Flush" });
  await ws.waitJson("Flushed");
  ws.ws.close();
}, 180_000);
