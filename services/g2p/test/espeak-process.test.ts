/** Debian's espeak-ng as a child process: answers in order, survives its death, bounded in time. */
import { afterAll, describe, expect, test } from "bun:test";
import { espeakToKokoro, espeakWords } from "../src/pronounce/espeak";
import { EspeakError, EspeakProcess } from "../src/pronounce/espeak-process";

const installed = Bun.which("espeak-ng") !== null;
if (!installed && process.env.CI) throw new Error("espeak-ng is required in CI (apt-get install espeak-ng)");

describe.skipIf(!installed)("espeak-ng out of process", () => {
  const p = new EspeakProcess({ voice: "en-us" });
  afterAll(() => p.close());

  test("a line of IPA per word, in order, for requests made at once", async () => {
    const batches = [["hello", "world"], ["water"], ["kokoro", "edge", "banana"]];
    const got = await Promise.all(batches.map((b) => p.ipa(b)));
    expect(got.map((g) => g.length)).toEqual([2, 1, 3]);
    expect(espeakToKokoro(got[0]![0]!, "us")).toMatch(/^h.lˈO$/);
    expect(got[1]![0]).toContain("w");
    expect(p.starts).toBe(1);
  });

  test("a killed process is started again; the request in flight fails, the next one works", async () => {
    await p.ipa(["warm"]);
    const pid = p.pid!;
    process.kill(pid, "SIGKILL");
    await new Promise((r) => setTimeout(r, 100));
    const again = await p.ipa(["again"]);
    expect(again).toHaveLength(1);
    expect(p.pid).not.toBe(pid);
    expect(p.starts).toBeGreaterThanOrEqual(2);
  });

  test("odd input: line breaks inside a word, non-Latin letters, a very long word", async () => {
    const got = await p.ipa(["two\nlines", "日本", "ä".repeat(3000)]);
    expect(got.length === 3 || got.length === 0).toBe(true);
    // whatever the answer, the process still answers the next request in step
    expect(await p.ipa(["after"])).toHaveLength(1);
  });

  test("no answer within the timeout: the request fails and the process is replaced", async () => {
    const slow = new EspeakProcess({
      voice: "en-us",
      timeoutMs: 300,
      command: ["sh", "-c", "cat > /dev/null", "sh"],
    });
    await expect(slow.ipa(["x"])).rejects.toThrow(/did not answer within 300 ms/);
    await expect(slow.ipa(["y"])).rejects.toBeInstanceOf(EspeakError); // g2p's 503, not a 500
    slow.close();
  });

  test("a missing program fails the request with a clear error, not a crash", async () => {
    const none = new EspeakProcess({ voice: "en-us", command: ["/nonexistent/espeak-ng"] });
    await expect(none.ipa(["x"])).rejects.toThrow(/espeak-ng/);
    await expect(none.ipa(["y"])).rejects.toBeInstanceOf(EspeakError);
    none.close();
  });

  test("g2p's out-of-vocabulary words go through it (both dialects)", async () => {
    const [us] = await espeakWords(["zorblax"], "us");
    const [gb] = await espeakWords(["zorblax"], "gb");
    expect(us!.length).toBeGreaterThan(3);
    expect(gb!.length).toBeGreaterThan(3);
  });
});
