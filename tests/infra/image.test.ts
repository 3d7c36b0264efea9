/**
 * The image, built and run for real, with no registry and no daemon: the
 * base image is made from Debian packages (infra/docker/base-image.sh), the
 * Dockerfile is built with `podman build --isolation=chroot`, and the image's
 * one-process entrypoint starts in its own read-only root filesystem
 * (infra/docker/run-image.sh: `podman run` cannot set resource limits on
 * these machines) with the fixture model. Its speech must decode to exactly
 * the tokens its g2p produced.
 *
 * A cold build takes minutes, so this runs when what decides the image
 * changed: the hash of its inputs (infra/docker/image-inputs.sh) differs from
 * the one recorded at the last verified build (image-inputs.sha256), or with
 * IMAGE_TEST=1. IMAGE_RECORD=1 records the hash once the image has spoken.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { decodeTokens } from "@kokoro-edge/fixture-model";
import { pcmFromWav } from "../support/audio";
import { sharedDir } from "../support/paths";
import { freePort, waitFor } from "../support/ports";
import { repoPath } from "./lib/repo";

const script = (name: string) => repoPath("infra", "docker", name);
const inputsChanged = spawnSync("bash", [script("image-inputs.sh"), "--changed"]).status === 0;
const forced = process.env.IMAGE_TEST === "1";
const tools = ["podman", "mmdebstrap", "unshare", "chroot"].filter(
  (t) => spawnSync("sh", ["-c", `command -v ${t}`]).status !== 0,
);

if (!inputsChanged && !forced) {
  console.warn(
    "[tests] the image's inputs are as recorded at its last verified build (infra/docker/image-inputs.sha256): not building it (IMAGE_TEST=1 builds anyway)",
  );
  describe.skip("the image, built and run", () => {});
} else if (tools.length && !process.env.CI) {
  console.warn(`[tests] the image's inputs changed, but ${tools.join(", ")} missing here: not building it`);
  describe.skip("the image, built and run", () => {});
} else {
  describe("the image, built and run", () => {
    const tag = "kokoro-edge:test";
    let figures = "";
    let server: ReturnType<typeof Bun.spawn> | undefined;
    let url = "";
    let log = "";

    beforeAll(async () => {
      expect(tools).toEqual([]);
      const build = Bun.spawn(["bash", script("build-image.sh"), tag], { stdout: "pipe", stderr: "pipe" });
      const [code, out, err] = await Promise.all([
        build.exited,
        new Response(build.stdout).text(),
        new Response(build.stderr).text(),
      ]);
      if (code !== 0) console.error(err.slice(-5000));
      expect(code).toBe(0);
      figures = out.trim().split("\n").at(-1)!;
      console.log(figures);
    }, 30 * 60_000);

    afterAll(async () => {
      server?.kill("SIGTERM");
      await server?.exited;
    });

    test("is built from the Dockerfile, with figures to report", () => {
      expect(figures).toMatch(
        /^\[image\] kokoro-edge:test built in \d+ s; \d+ bytes \(\d+ MB\); base made in \d+ s$/,
      );
    });

    test(
      "its one-process entrypoint starts with the fixture model and speaks: decoded token for token",
      async () => {
        const port = await freePort();
        url = `http://127.0.0.1:${port}`;
        const env = {
          PORT: port,
          HOST: "127.0.0.1",
          MIRROR_PORT: 0,
          KOKORO_MODEL: "fixture",
          VOICES_DIR: "/data/shared/voices",
          KOKORO_CONFIG: "/data/shared/config.json",
          MIRROR_UPSTREAMS: "file:///nonexistent",
          MIRROR_PINNED_UPSTREAMS: "none",
          LOG_LEVEL: "warn",
        };
        const t0 = performance.now();
        server = Bun.spawn(
          [
            "bash",
            script("run-image.sh"),
            tag,
            ...Object.entries(env).flatMap(([k, v]) => ["-e", `${k}=${v}`]),
            "-v",
            `${sharedDir}/kokoro:/data/shared:ro`,
          ],
          { stdout: "pipe", stderr: "pipe" },
        );
        const drain = async (s: ReadableStream<Uint8Array>) => {
          for await (const c of s) log = (log + new TextDecoder().decode(c)).slice(-20_000);
        };
        void drain(server.stdout as ReadableStream<Uint8Array>);
        void drain(server.stderr as ReadableStream<Uint8Array>);
        try {
          await waitFor(
            "the image's stack to say ready",
            async () => ((await fetch(`${url}/readyz`)).status === 200 ? true : undefined),
            120_000,
            250,
          );
        } catch (err) {
          console.error(log);
          throw err;
        }
        const readyS = (performance.now() - t0) / 1000;
        const input = "Hello from the image, built and run.";
        const t1 = performance.now();
        const res = await fetch(`${url}/v1/audio/speech`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ model: "kokoro", input, voice: "af_heart", response_format: "wav" }),
        });
        expect(res.status).toBe(200);
        const reader = res.body!.getReader();
        const parts: Uint8Array<ArrayBuffer>[] = [];
        let ttfaMs = 0;
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          if (!ttfaMs) ttfaMs = performance.now() - t1;
          parts.push(new Uint8Array(value));
        }
        expect(res.headers.get("x-kokoro-engine")).toBe("fixture");
        const { pcm } = pcmFromWav(new Uint8Array(await new Blob(parts).arrayBuffer()));
        const expected = (
          (await (
            await fetch(`${url}/v1/audio/phonemize`, {
              method: "POST",
              headers: { "content-type": "application/json" },
              body: JSON.stringify({ input, voice: "af_heart" }),
            })
          ).json()) as { tokens: number[] }
        ).tokens;
        expect(expected.length).toBeGreaterThan(10);
        expect(decodeTokens(pcm).tokens).toEqual(expected);
        console.log(
          `[image] ready ${readyS.toFixed(1)} s after start; first audio ${ttfaMs.toFixed(0)} ms after the request`,
        );
      },
      5 * 60_000,
    );

    test("SIGTERM stops it cleanly", async () => {
      server!.kill("SIGTERM");
      expect(await server!.exited).toBe(0);
      server = undefined;
      if (process.env.IMAGE_RECORD === "1")
        expect(spawnSync("bash", [script("image-inputs.sh"), "--record"]).status).toBe(0);
      else if (inputsChanged)
        console.warn(
          "[tests] the image built and spoke: record its inputs with `bash infra/docker/image-inputs.sh --record` (or IMAGE_RECORD=1)",
        );
    });
  });
}
