/**
 * Headless Chromium (Debian's `chromium`, driven by playwright-core) opens the
 * gateway's /docs page, which streams speech with browser `fetch` and plays it
 * with Web Audio as the bytes arrive. Skipped locally without chromium, a
 * failure in CI.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { chromium, type Browser } from "playwright-core";
import { decodeTokens } from "@kokoro-edge/fixture-model";
import type { Stack } from "../../stack";
import type { GatewayService } from "../src";
import { extraGateway, sharedStack } from "./api.stack";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const have = existsSync(CHROMIUM);
if (!have && process.env.CI)
  throw new Error(`the browser test needs ${CHROMIUM} in CI (apt-get install -y chromium)`);
if (!have) console.warn(`[tests] ${CHROMIUM} not found: skipping the headless browser test`);
const maybe = have ? describe : describe.skip;

// Several chunks and megabytes of PCM: more than one network read, however fast the fixture model makes it.
const TEXT =
  "The browser streams this sentence with fetch. Web Audio plays each piece as it arrives, without waiting for the end. "
    .repeat(6)
    .trim();

let s: Stack;
let browser: Browser;
let limited: GatewayService;

maybe("headless Chromium", () => {
  beforeAll(async () => {
    s = await sharedStack();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--autoplay-policy=no-user-gesture-required",
      ],
    });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await limited?.stop();
  });

  test("the docs page renders the OpenAPI document from the gateway itself", async () => {
    const page = await browser.newPage();
    const external: string[] = [];
    page.on("request", (r) => {
      if (!r.url().startsWith(s.url)) external.push(r.url());
    });
    await page.goto(`${s.url}/docs`);
    await page.waitForSelector("body[data-spec=loaded]", { timeout: 10_000 });
    const ops = await page.$$eval("details.op", (els) =>
      els.map((e) => `${(e as HTMLElement).dataset.method} ${(e as HTMLElement).dataset.path}`),
    );
    expect(ops).toContain("post /v1/audio/speech");
    expect(ops).toContain("get /v1/voices");
    expect(await page.textContent("#title")).toContain("kokoro-edge");
    // The voice list was filled from /v1/voices.
    await page.waitForSelector("body[data-voices=loaded]", { timeout: 10_000 });
    expect(await page.$$eval("#voice option", (o) => o.length)).toBeGreaterThan(5);
    expect(external).toEqual([]);
    await page.close();
  }, 30_000);

  test("talk to it: the page types a paragraph into /v1/speak at LLM pace and plays speech before the typing ends; Interrupt barges in", async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(`${s.url}/docs`);
    await page.waitForSelector("body[data-voices=loaded]");
    await page.selectOption("#voice", "af_heart");
    await page.fill("#talk-rate", "40");
    await page.click("#talk-go");
    // Audio arrives while the page is still typing.
    await page.waitForFunction(() => (window as any).kokoroTalk.frames > 0, undefined, { timeout: 20_000 });
    const early = await page.evaluate(() => ({ ...(window as any).kokoroTalk }));
    expect(early.state).toBe("typing");
    await page.waitForFunction(
      () => (window as any).kokoroTalk.flushed === 1 || (window as any).kokoroTalk.error,
      undefined,
      { timeout: 30_000 },
    );
    const done = await page.evaluate(() => ({ ...(window as any).kokoroTalk }));
    expect(done.error).toBeNull();
    expect(done.samples / 24000).toBeGreaterThan(5);
    // A second turn, interrupted while typing.
    await page.click("#talk-go");
    await page.waitForFunction(() => (window as any).kokoroTalk.frames > 0, undefined, { timeout: 20_000 });
    await page.click("#talk-clear");
    expect(await page.evaluate(() => (window as any).kokoroTalk.state)).toBe("interrupted");
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  test("fetch streams speech and Web Audio plays it as it arrives", async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(`${s.url}/docs`);
    await page.waitForSelector("body[data-spec=loaded]");
    await page.fill("#text", TEXT);
    await page.selectOption("#voice", "af_heart");
    await page.click("#play");
    await page.waitForFunction(
      () => (window as any).kokoroPlayer.state === "done" || (window as any).kokoroPlayer.state === "error",
      undefined,
      { timeout: 30_000 },
    );
    const p = await page.evaluate(() => {
      const pl = (window as any).kokoroPlayer;
      return { ...pl };
    });
    expect(p.error).toBeNull();
    expect(p.state).toBe("done");
    // It played in pieces as they came, the first well before the whole was there.
    expect(p.buffers).toBeGreaterThan(1);
    expect(p.firstAudioMs).toBeGreaterThan(0);

    // What the page scheduled is exactly the audio: same samples as a direct request, and the fixture's tokens.
    const direct = new Uint8Array(
      await (
        await fetch(`${s.url}/v1/audio/speech`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ model: "kokoro", input: TEXT, voice: "af_heart", response_format: "pcm" }),
        })
      ).arrayBuffer(),
    );
    expect(p.samples).toBe(direct.length / 2);
    expect(p.scheduledS).toBeCloseTo(direct.length / 2 / 24000, 3);
    const tokens = decodeTokens(new Int16Array(direct.buffer)).tokens;
    expect(tokens.length).toBeGreaterThan(20);

    // The page's audio clock runs: what was scheduled is being played.
    const a = await page.evaluate(() => (window as any).kokoroClock());
    await page.waitForTimeout(300);
    const b = await page.evaluate(() => (window as any).kokoroClock());
    expect(a.state).toBe("running");
    expect(b.time - a.time).toBeGreaterThan(0.1);
    expect(a.scheduledUntil).toBeGreaterThan(p.scheduledS - 0.01);
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  test("with keys required, the page's key field is used, and a wrong key shows the error", async () => {
    limited = await extraGateway({
      API_KEYS_REQUIRED: "true",
      ADMIN_TOKEN: "browser-admin-token-0123456789",
    });
    const created = await (
      await fetch(`${limited.url}/admin/keys`, {
        method: "POST",
        headers: {
          authorization: "Bearer browser-admin-token-0123456789",
          "content-type": "application/json",
        },
        body: JSON.stringify({ name: "browser" }),
      })
    ).json();
    const page = await browser.newPage();
    await page.goto(`${limited.url}/docs`);
    await page.waitForSelector("body[data-spec=loaded]");
    await page.fill("#key", "ke_wrong");
    await page.click("#play");
    await page.waitForFunction(() => (window as any).kokoroPlayer.state === "error");
    expect(await page.evaluate(() => (window as any).kokoroPlayer.error)).toContain("401");
    await page.fill("#key", created.key);
    await page.fill("#text", "Authorised playback.");
    await page.click("#play");
    await page.waitForFunction(
      () => (window as any).kokoroPlayer.state === "done" || (window as any).kokoroPlayer.state === "error",
      undefined,
      { timeout: 30_000 },
    );
    const p = await page.evaluate(() => ({ ...(window as any).kokoroPlayer }));
    expect(p.error).toBeNull();
    expect(p.samples).toBeGreaterThan(24000 / 4);
    await page.close();
  }, 60_000);
});
