/**
 * The API the Studio uses, as any client sees it: POST /v1/subtitles/parse
 * (cues out, line-numbered 400s, binary files refused, size limit) and
 * /v1/projects (create, list, open, rename, replace, delete; each API key sees
 * only its own projects). Also the studio's assets: built from source, small.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Stack } from "../../stack";
import type { GatewayService } from "../src";
import { studioAssets } from "../src/studio/build";
import { dataDir, extraGateway, json, sharedStack } from "./api.stack";

const ADMIN = "admin-token-for-studio-tests-0123456789";
let s: Stack;
let keyed: GatewayService;

beforeAll(async () => {
  s = await sharedStack();
  keyed = await extraGateway({
    API_KEYS_REQUIRED: "true",
    ADMIN_TOKEN: ADMIN,
    RATE_LIMIT_RPM: "0",
    MAX_STREAMS_PER_KEY: "0",
  });
});
afterAll(async () => {
  await keyed?.stop();
});

const SRT = "1\n00:00:01,000 --> 00:00:02,000\nHello.\n\n2\n00:00:03,000 --> 00:00:04,500\nWorld.\n";

describe("POST /v1/subtitles/parse", () => {
  test("JSON and multipart give the cues, the detected format and warnings", async () => {
    const a = await json(`${s.url}/v1/subtitles/parse`, { document: SRT });
    expect(a.status).toBe(200);
    const body = await a.json();
    expect(body).toMatchObject({ object: "subtitle_document", format: "srt", timed: true, warnings: [] });
    expect(
      body.cues.map((c: { text: string; start_s: number; end_s: number; line: number }) => [
        c.text,
        c.start_s,
        c.end_s,
        c.line,
      ]),
    ).toEqual([
      ["Hello.", 1, 2, 2],
      ["World.", 3, 4.5, 6],
    ]);
    const form = new FormData();
    form.append("file", new File(["WEBVTT\n\n00:01.000 --> 00:02.000\n<v Ann>Hi there.\n"], "a.vtt"));
    const b = await fetch(`${s.url}/v1/subtitles/parse`, { method: "POST", body: form });
    expect(b.status).toBe(200);
    const vtt = await b.json();
    expect(vtt.format).toBe("vtt");
    expect(vtt.cues[0]).toMatchObject({ text: "Hi there.", speaker: "Ann" });
  });

  test("a broken file is a 400 that names the line; a binary file is a 400 that says so; too large is a 413", async () => {
    const broken = await json(`${s.url}/v1/subtitles/parse`, {
      document: "1\n00:00:01,000 --> nonsense\nHello\n",
      format: "srt",
    });
    expect(broken.status).toBe(400);
    const e = (await broken.json()).error;
    expect(e.code).toBe("invalid_subtitles");
    expect(e.message).toMatch(/^line 2: /);
    const form = new FormData();
    form.append(
      "file",
      new File([new Uint8Array(Array.from({ length: 2048 }, (_, i) => (i * 31) % 256))], "x.srt"),
    );
    const bin = await fetch(`${s.url}/v1/subtitles/parse`, { method: "POST", body: form });
    expect(bin.status).toBe(400);
    expect((await bin.json()).error.code).toBe("binary_file");
    const big = new FormData();
    big.append("file", new File([new Uint8Array(5 * 1024 * 1024).fill(97)], "big.srt"));
    const tooBig = await fetch(`${s.url}/v1/subtitles/parse`, { method: "POST", body: big });
    expect(tooBig.status).toBe(413);
    expect((await tooBig.json()).error.code).toBe("body_too_large");
    const empty = await json(`${s.url}/v1/subtitles/parse`, { document: "" });
    expect(empty.status).toBe(400);
  });
});

describe("/v1/projects", () => {
  const doc = {
    format: "srt",
    timed: true,
    voice: "af_heart",
    speed: 1,
    speakers: { Ann: "af_bella" },
    cues: [{ id: "c1", start_s: 1, end_s: 2, text: "Hello.", speaker: "Ann" }],
  };

  test("create, list, open, rename, replace the document, delete", async () => {
    const created = await json(`${s.url}/v1/projects`, { name: "First", document: doc });
    expect(created.status).toBe(201);
    const p = await created.json();
    expect(p).toMatchObject({ object: "project", name: "First", cue_count: 1, document: doc });
    expect(created.headers.get("location")).toBe(`/v1/projects/${p.id}`);
    const list = await (await fetch(`${s.url}/v1/projects`)).json();
    expect(list.data.find((x: { id: string }) => x.id === p.id)).toMatchObject({
      name: "First",
      cue_count: 1,
    });
    expect(list.data[0].document).toBeUndefined();
    const renamed = await fetch(`${s.url}/v1/projects/${p.id}`, {
      method: "PATCH",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "Renamed" }),
    });
    expect((await renamed.json()).name).toBe("Renamed");
    const doc2 = {
      ...doc,
      cues: [...doc.cues, { id: "c2", start_s: 3, end_s: 4, text: "Again.", voice: "am_adam", speed: 1.2 }],
    };
    const replaced = await (
      await fetch(`${s.url}/v1/projects/${p.id}`, {
        method: "PATCH",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ document: doc2 }),
      })
    ).json();
    expect(replaced).toMatchObject({ name: "Renamed", cue_count: 2 });
    expect((await (await fetch(`${s.url}/v1/projects/${p.id}`)).json()).document.cues[1]).toMatchObject({
      voice: "am_adam",
      speed: 1.2,
    });
    const del = await fetch(`${s.url}/v1/projects/${p.id}`, { method: "DELETE" });
    expect(await del.json()).toEqual({ id: p.id, object: "project", deleted: true });
    const gone = await fetch(`${s.url}/v1/projects/${p.id}`);
    expect(gone.status).toBe(404);
    expect((await gone.json()).error.code).toBe("project_not_found");
  });

  test("bad documents are 400s naming the field", async () => {
    const cases = [
      { name: "", document: doc },
      { name: "x", document: { ...doc, cues: [{ ...doc.cues[0], start_s: -1 }] } },
      { name: "x", document: { ...doc, speed: 9 } },
      { name: "x", document: { ...doc, cues: [{ ...doc.cues[0], text: "a".repeat(10_001) }] } },
    ];
    for (const body of cases) {
      const res = await json(`${s.url}/v1/projects`, body);
      expect(res.status).toBe(400);
      expect((await res.json()).error.type).toBe("invalid_request_error");
    }
    const empty = await fetch(`${s.url}/v1/projects/nope`, {
      method: "PATCH",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    expect(empty.status).toBe(400);
  });

  test("with API keys, each key sees only its own projects", async () => {
    const mk = async (name: string) =>
      (
        await (
          await fetch(`${keyed.url}/admin/keys`, {
            method: "POST",
            headers: { authorization: `Bearer ${ADMIN}`, "content-type": "application/json" },
            body: JSON.stringify({ name }),
          })
        ).json()
      ).key as string;
    const [a, b] = [await mk("studio a"), await mk("studio b")];
    expect((await fetch(`${keyed.url}/v1/projects`)).status).toBe(401);
    const p = await (
      await json(`${keyed.url}/v1/projects`, { name: "A's", document: doc }, { authorization: `Bearer ${a}` })
    ).json();
    const asB = (path: string, init: RequestInit = {}) =>
      fetch(`${keyed.url}${path}`, {
        ...init,
        headers: { authorization: `Bearer ${b}`, "content-type": "application/json" },
      });
    expect((await (await asB("/v1/projects")).json()).data).toEqual([]);
    expect((await asB(`/v1/projects/${p.id}`)).status).toBe(404);
    expect((await asB(`/v1/projects/${p.id}`, { method: "DELETE" })).status).toBe(404);
    expect(
      (await asB(`/v1/projects/${p.id}`, { method: "PATCH", body: JSON.stringify({ name: "stolen" }) }))
        .status,
    ).toBe(404);
    const mine = await (
      await fetch(`${keyed.url}/v1/projects/${p.id}`, { headers: { authorization: `Bearer ${a}` } })
    ).json();
    expect(mine.name).toBe("A's");
    // Open mode's projects are not visible to a key either.
    expect(
      (await (await asB("/v1/projects")).json()).data.some((x: { name: string }) => x.name === "First"),
    ).toBe(false);
  });
});

describe("M4A of a job's audio", () => {
  test("made by the system ffmpeg (decodes, same length); without ffmpeg a 400 that says so; other formats a 400", async () => {
    const job = await (
      await json(`${s.url}/v1/audio/subtitles`, { document: SRT, response_format: "wav", async: true })
    ).json();
    let j = job;
    for (let i = 0; i < 200 && (j.status === "queued" || j.status === "running"); i++) {
      await Bun.sleep(100);
      j = await (await fetch(`${s.url}/v1/jobs/${job.id}`)).json();
    }
    expect(j.status).toBe("succeeded");
    const m4a = await fetch(`${s.url}/v1/jobs/${job.id}/audio?format=m4a`);
    expect(m4a.status).toBe(200);
    expect(m4a.headers.get("content-type")).toBe("audio/mp4");
    const bytes = new Uint8Array(await m4a.arrayBuffer());
    expect(new TextDecoder().decode(bytes.subarray(4, 8))).toBe("ftyp");
    const path = `${require("node:os").tmpdir()}/studio-${job.id}.m4a`;
    await Bun.write(path, bytes);
    const probe = Bun.spawnSync([
      "ffprobe",
      "-v",
      "error",
      "-show_entries",
      "stream=codec_name:format=duration",
      "-of",
      "json",
      path,
    ]);
    const info = JSON.parse(probe.stdout.toString());
    expect(info.streams[0].codec_name).toBe("aac");
    expect(Number(info.format.duration)).toBeGreaterThan(4.4);
    require("node:fs").rmSync(path, { force: true });
    const other = await fetch(`${s.url}/v1/jobs/${job.id}/audio?format=ogg`);
    expect(other.status).toBe(400);
    const without = await extraGateway({
      FFMPEG_PATH: "/nonexistent/ffmpeg",
      JOBS_DIR: `${dataDir}/jobs`,
      JOB_CONCURRENCY: "0",
    });
    try {
      const res = await fetch(`${without.url}/v1/jobs/${job.id}/audio?format=m4a`);
      expect(res.status).toBe(400);
      const e = (await res.json()).error;
      expect(e.code).toBe("m4a_unavailable");
      expect(e.message).toContain("ffmpeg");
    } finally {
      await without.stop();
    }
  }, 60_000);
});

describe("the studio's assets", () => {
  test("built from the sources at first request; the page references them; JavaScript under 200 KB gzipped", async () => {
    const a = await studioAssets();
    expect(a.js).toContain("kokoro-edge Studio");
    expect(a.css).toContain("--accent");
    expect(a.jsGzipBytes).toBeLessThan(200 * 1024);
    const page = await fetch(`${s.url}/studio`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(`/studio/app.js?v=${a.hash}`);
    // The page's own inline script is allowed by hash, nothing else inline.
    expect(page.headers.get("content-security-policy")).toMatch(/script-src 'self' 'sha256-[A-Za-z0-9+/=]+'/);
    const css = await fetch(`${s.url}/studio/app.css`);
    expect(css.headers.get("content-type")).toContain("text/css");
  });
});
