/**
 * What a new user does first: `npm start` with nothing but MIRROR_UPSTREAMS
 * pointing at a hub laid out exactly like the public repos (the ONNX export's
 * 44-byte config.json, tokenizer.json, eight onnx/ variants; misaki's lexicons
 * at the pinned commit). The README's command becomes ready, downloads only what
 * it needs (saying how far it has come), and speaks with the ONNX engine.
 * Then the offline first run, and a second start on a port in use.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MISAKI_COMMIT, MISAKI_REPO, MODEL_VARIANTS, DTYPES } from "@kokoro-edge/proto";
import { decodeTokens } from "@kokoro-edge/fixture-model";
import { FakeHub } from "../../services/model-mirror/test/fake-hub";
import { pcmFromWav } from "../support/audio";
import { lexiconDir, repoRoot } from "../support/paths";
import { freePort, waitFor } from "../support/ports";
import { REPO, misakiFiles, realRepoFiles, tokenizerJson } from "../support/upstream";

/** `npm start` as a new user runs it: only the variables given, nothing from this test's environment. */
function npmStart(env: Record<string, string>) {
  let out = "";
  const proc = Bun.spawn(["npm", "start"], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH!, HOME: process.env.HOME ?? "/root", LOG_FORMAT: "json", ...env },
    stdout: "pipe",
    stderr: "pipe",
  });
  const drain = async (s: ReadableStream<Uint8Array>) => {
    const dec = new TextDecoder();
    for await (const chunk of s) out += dec.decode(chunk);
  };
  void drain(proc.stdout as ReadableStream<Uint8Array>);
  void drain(proc.stderr as ReadableStream<Uint8Array>);
  return {
    proc,
    output: () => out,
    async stop() {
      proc.kill("SIGTERM");
      await Promise.race([proc.exited, Bun.sleep(10_000)]);
      if (proc.exitCode === null) proc.kill("SIGKILL");
    },
  };
}

const logLines = (out: string) =>
  out
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as { level: string; service: string; msg: string; [k: string]: unknown });

const speak = (url: string, input: string) =>
  fetch(`${url}/v1/audio/speech`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ model: "kokoro", input, voice: "af_heart", response_format: "wav" }),
  });

async function tokensOf(url: string, input: string): Promise<number[]> {
  const r = (await (
    await fetch(`${url}/v1/audio/phonemize`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ input, voice: "af_heart" }),
    })
  ).json()) as { tokens: number[] };
  return r.tokens;
}

describe("first contact: npm start against a hub with the real repo layout", () => {
  const files = realRepoFiles();
  const hub = new FakeHub({
    repo: REPO,
    files,
    others: { [MISAKI_REPO]: { commit: MISAKI_COMMIT, files: misakiFiles() } },
  });
  let app: ReturnType<typeof npmStart>;
  let url = "";
  const readyzSeen: string[] = [];

  beforeAll(async () => {
    await hub.start();
    // The model arrives slowly (about 5 s for the 7 kB fixture), so its progress can be watched.
    hub.inject(MODEL_VARIANTS.q8, [{ kind: "slow", chunk: 300, everyMs: 250 }]);
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    app = npmStart({
      MIRROR_UPSTREAMS: hub.url,
      PORT: String(port),
      DATA_DIR: mkdtempSync(join(tmpdir(), "ke-first-contact-")),
    });
    try {
      await waitFor(
        "the ONNX engine to be ready",
        async () => {
          const r = (await (await fetch(`${url}/readyz`)).json()) as {
            detail: string;
            checks: Record<string, { detail: string }>;
          };
          readyzSeen.push(JSON.stringify(r));
          return r.checks?.synth?.detail?.includes("kokoro model") ? r : undefined;
        },
        180_000,
        200,
      );
    } catch (err) {
      console.error(app.output().slice(-5000));
      throw err;
    }
  }, 200_000);

  afterAll(async () => {
    await app?.stop();
    await hub.stop();
  });

  test("it speaks with the ONNX engine, and the audio decodes to g2p's tokens", async () => {
    const input = "Hello from the real repository layout.";
    const res = await speak(url, input);
    expect(res.status).toBe(200);
    expect(res.headers.get("x-kokoro-engine")).toBe("kokoro");
    expect(res.headers.get("x-kokoro-model")).toContain(
      `${REPO}/${MODEL_VARIANTS.q8}@${hub.commit.slice(0, 12)}`,
    );
    const { pcm } = pcmFromWav(new Uint8Array(await res.arrayBuffer()));
    const expected = await tokensOf(url, input);
    expect(expected.length).toBeGreaterThan(10);
    expect(decodeTokens(pcm).tokens).toEqual(expected);
  });

  test("the mirror fetched what g2p and synth need and nothing else: one model variant, tokenizer.json, the voices", () => {
    const fetched = (path: string) => hub.downloads(path).some((r) => r.method === "GET");
    expect(fetched(MODEL_VARIANTS.q8)).toBe(true);
    for (const d of DTYPES.filter((d) => d !== "q8")) expect(fetched(MODEL_VARIANTS[d])).toBe(false);
    expect(fetched("tokenizer.json")).toBe(true);
    expect(fetched("config.json")).toBe(false);
    expect(fetched("tokenizer_config.json")).toBe(false);
    expect(fetched("voices/af_heart.bin")).toBe(true);
  });

  test("g2p reads the vocab from tokenizer.json and misaki's lexicons from the mirror", async () => {
    const r = await waitFor(
      "g2p to have misaki's lexicons",
      async () => {
        const body = (await (await fetch(`${url}/readyz`)).json()) as {
          checks: Record<string, { detail: string }>;
        };
        return body.checks.g2p!.detail.includes("us_gold.json") ? body : undefined;
      },
      60_000,
      250,
    );
    expect(r.checks.g2p!.detail).toContain(
      `vocab from mirror ${REPO}@${hub.commit.slice(0, 12)} tokenizer.json`,
    );
    // a word only misaki's gold lexicon has, read as it says
    const gold = JSON.parse(readFileSync(join(lexiconDir, "us_gold.json"), "utf8")) as Record<string, string>;
    const view = (await (
      await fetch(`${url}/v1/audio/phonemize`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ input: "aardwolf", voice: "af_heart" }),
      })
    ).json()) as { phonemes: string };
    expect(view.phonemes).toBe(gold.aardwolf!);
  });

  test("the download's progress was in the log (percent, bytes, rate, time left) and in /readyz", () => {
    // The line names the largest file in progress: a voice pack while they download, then the (slow) model.
    // (misaki's lexicons, pinned by checksum only, have no size to give a percent: "9.4 MB so far, 1.0 MB/s")
    const all = logLines(app.output()).filter(
      (l) => l.service === "model-mirror" && l.msg.startsWith("downloading "),
    );
    for (const l of all.filter((l) => l.repo === MISAKI_REPO))
      expect(l.msg).toMatch(
        /^downloading misaki\/data\/\w+\.json(?: and \d+ more files?)?: [\d.]+ [kM]B so far, (?:[\d.]+ [kM]B\/s|starting|waiting for data)$/,
      );
    const lines = all.filter((l) => l.repo === REPO);
    expect(lines.length).toBeGreaterThan(0);
    // e.g. "downloading onnx/model_quantized.onnx: 41 %, 12 of 28 MB, 4.8 MB/s, about 3 s left"
    for (const l of lines)
      expect(l.msg).toMatch(
        /^downloading (?:onnx\/model_quantized\.onnx|voices\/\w+\.bin)(?: and \d+ more files?)?: \d+ %, [\d.]+ (?:[kM]B )?of [\d.]+ [kM]B, (?:[\d.]+ [kM]B\/s|starting|waiting for data)(?:, about \d+ (?:s|min) left)?$/,
      );
    expect(lines.every((l) => typeof l.bytes === "number" && typeof l.total === "number")).toBe(true);
    expect(readyzSeen.some((r) => /downloading (?:onnx\/model_quantized\.onnx|voices\/)/.test(r))).toBe(true);
  });

  test("the mirror's metrics, download progress included, are on the gateway's /metrics", async () => {
    const text = await (await fetch(`${url}/metrics`)).text();
    expect(text).toContain("# TYPE mirror_download_bytes gauge");
    expect(text).toContain("# TYPE mirror_download_size_bytes gauge");
    expect(text).toMatch(new RegExp(`^mirror_version_files\\{[^}]*repo="${REPO}"[^}]*\\} \\d+`, "m"));
    expect(text).toContain("# TYPE kokoro_g2p_requests_total counter");
  });

  test("the mirror's Hugging Face routes answer on the same port (one port in the one-process setup)", async () => {
    const info = (await (await fetch(`${url}/api/models/${REPO}/revision/main`)).json()) as { sha: string };
    expect(info.sha).toBe(hub.commit);
    const tok = await fetch(`${url}/${REPO}/resolve/main/tokenizer.json`);
    expect(tok.status).toBe(200);
    expect(await tok.text()).toBe(tokenizerJson());
  });

  test("a browser that opens the address lands on the Studio, built from source at start", async () => {
    const res = await fetch(`${url}/`, { redirect: "manual" });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/html");
    const html = await res.text();
    expect(html).toContain("Studio");
    const js = await fetch(new URL(html.match(/src="([^"]+\.js[^"]*)"/)![1]!, url));
    expect(js.status).toBe(200);
    expect(js.headers.get("content-type")).toContain("javascript");
    expect((await js.text()).length).toBeGreaterThan(1000);
  });

  test("a second npm start on the same port says so in one line and exits", async () => {
    const port = new URL(url).port;
    const second = npmStart({
      MIRROR_UPSTREAMS: hub.url,
      PORT: port,
      DATA_DIR: mkdtempSync(join(tmpdir(), "ke-first-contact-2-")),
    });
    const code = await Promise.race([second.proc.exited, Bun.sleep(60_000).then(() => "timeout")]);
    await second.stop();
    expect(code).toBe(1);
    // (npm's own lines aside: its "> kokoro-edge@0.1.0 start" header and its warnings)
    const lines = second
      .output()
      .trim()
      .split("\n")
      .filter((l) => !l.startsWith("{") && !l.startsWith("> ") && !l.startsWith("npm warn") && l.trim());
    expect(lines).toEqual([
      `kokoro-edge cannot start: port ${port} is already in use: set PORT to a free port (for example PORT=${Number(port) + 10})`,
    ]);
  }, 70_000);
});

describe("first contact offline: nothing to fetch and no model given", () => {
  let app: ReturnType<typeof npmStart>;
  let url = "";

  beforeAll(async () => {
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    // An upstream that cannot answer, as on a machine with no internet (and no GitHub for the lexicons).
    app = npmStart({
      PORT: String(port),
      DATA_DIR: mkdtempSync(join(tmpdir(), "ke-offline-")),
      MIRROR_UPSTREAMS: "http://127.0.0.1:9",
      MIRROR_PINNED_UPSTREAMS: "http://127.0.0.1:9",
    });
    await waitFor(
      "the gateway to answer",
      async () => ((await fetch(`${url}/readyz`).catch(() => undefined))?.status === 200 ? true : undefined),
      120_000,
      200,
    );
  }, 130_000);

  afterAll(async () => {
    await app?.stop();
  });

  test("it still speaks, with the espeak-ng fallback, and g2p needs no downloaded vocab", async () => {
    const res = await speak(url, "Nothing was downloaded, and yet it speaks.");
    expect(res.status).toBe(200);
    expect(res.headers.get("x-kokoro-engine")).toBe("espeak");
    const { pcm } = pcmFromWav(new Uint8Array(await res.arrayBuffer()));
    expect(pcm.length).toBeGreaterThan(24000);
    expect((await tokensOf(url, "Hello.")).length).toBeGreaterThan(2);
  });

  test("the log says once, in one line, what is missing and the two ways to fix it; retries do not repeat it", async () => {
    await Bun.sleep(20_000); // long enough for several retries of the mirror (30 s back-off) and synth (15 s, doubling)
    const problems = logLines(app.output()).filter((l) => l.level === "warn" || l.level === "error");
    expect(problems.map((l) => `${l.service}: ${l.msg}`)).toEqual([
      `synth: no Kokoro model (cannot fetch ${REPO}@main: 127.0.0.1:9 is unreachable); to fix it, set KOKORO_MODEL=/path/to/model.onnx and VOICES_DIR=/path/to/voices, or MIRROR_UPSTREAMS=file:///path/to/models (a folder laid out like the Hugging Face repo); speaking with espeak-ng meanwhile`,
    ]);
  }, 30_000);
});
