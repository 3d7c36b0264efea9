/**
 * M4A (AAC in MP4) for a finished job's audio. No AAC encoder runs in this
 * process (none is available under a licence we can ship), so the system
 * ffmpeg makes it when it is installed: a separate process, run once per job,
 * its output kept next to the job's audio and removed with it. Without ffmpeg
 * the request is a 400 that says so.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, renameSync, rmSync } from "node:fs";
import { AppError } from "@kokoro-edge/runtime";

const found = new Map<string, boolean>();

/** Whether `ffmpeg` (a path or a name on PATH) runs; "off" means never. Cached per name. */
export function ffmpegAvailable(ffmpeg: string): boolean {
  if (ffmpeg === "off" || !ffmpeg) return false;
  let ok = found.get(ffmpeg);
  if (ok === undefined) {
    try {
      ok = spawnSync(ffmpeg, ["-hide_banner", "-version"], { stdio: "ignore", timeout: 5_000 }).status === 0;
    } catch {
      ok = false;
    }
    found.set(ffmpeg, ok);
  }
  return ok;
}

/** The M4A file beside a job's audio file. */
export const m4aPathFor = (audioPath: string) => `${audioPath}.m4a`;

const inFlight = new Map<string, Promise<string>>();

/** Make (once) and return the M4A of `audioPath`. */
export function ensureM4a(ffmpeg: string, audioPath: string): Promise<string> {
  if (!ffmpegAvailable(ffmpeg)) {
    throw new AppError(
      400,
      "m4a_unavailable",
      "M4A (AAC) is made by the system ffmpeg, and this server has none (set FFMPEG_PATH, or install ffmpeg); download wav, mp3, opus or flac instead",
      "format",
    );
  }
  const out = m4aPathFor(audioPath);
  if (existsSync(out)) return Promise.resolve(out);
  let p = inFlight.get(out);
  if (!p) {
    const tmp = `${out}.${process.pid}.${Date.now()}.tmp`;
    p = new Promise<string>((resolve, reject) => {
      const child = spawn(
        ffmpeg,
        [
          "-v",
          "error",
          "-nostdin",
          "-y",
          "-i",
          audioPath,
          "-c:a",
          "aac",
          "-b:a",
          "128k",
          "-movflags",
          "+faststart",
          "-f",
          "ipod",
          tmp,
        ],
        { stdio: ["ignore", "ignore", "pipe"] },
      );
      let err = "";
      child.stderr.on("data", (d) => (err = (err + d).slice(-2000)));
      child.on("error", (e) => reject(new AppError(500, "m4a_failed", `ffmpeg could not run: ${e.message}`)));
      child.on("close", (code) => {
        if (code === 0) {
          renameSync(tmp, out);
          resolve(out);
        } else {
          rmSync(tmp, { force: true });
          reject(
            new AppError(
              500,
              "m4a_failed",
              `ffmpeg failed (exit ${code}): ${err.trim().split("\n").pop() ?? ""}`,
            ),
          );
        }
      });
    }).finally(() => inFlight.delete(out));
    inFlight.set(out, p);
  }
  return p;
}
