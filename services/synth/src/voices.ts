import { readFile, readdir } from "node:fs/promises";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { createHash } from "node:crypto";
import { AppError, type Bus } from "@kokoro-edge/runtime";
import { contracts } from "@kokoro-edge/proto";
import { packFromBytes } from "./style";
import { formatVoice, parseVoiceExpression } from "./voice-mix";
import { KOKORO_V1_VOICES } from "@kokoro-edge/proto";

export interface VoiceFile {
  bytes: Uint8Array;
  /** The checksum recorded for this file (mirror record or SHA256SUMS), if any. */
  expectedSha256?: string;
  source: string;
}

/** Where voice packs come from: a folder (VOICES_DIR) or the model mirror. */
export interface VoiceSource {
  readonly kind: string;
  list(): Promise<string[]>;
  /** undefined when the voice does not exist there. */
  load(name: string): Promise<VoiceFile | undefined>;
}

export class DirVoiceSource implements VoiceSource {
  readonly kind = "dir";
  private sums?: Map<string, string>;
  constructor(private readonly dir: string) {}

  async list() {
    const files = await readdir(this.dir).catch(() => [] as string[]);
    return files
      .filter((f) => f.endsWith(".bin"))
      .map((f) => f.slice(0, -4))
      .sort();
  }

  async load(name: string): Promise<VoiceFile | undefined> {
    const path = join(this.dir, `${name}.bin`);
    if (!existsSync(path)) return undefined;
    return {
      bytes: new Uint8Array(await readFile(path)),
      expectedSha256: (await this.checksums()).get(`${name}.bin`),
      source: path,
    };
  }

  /** An optional SHA256SUMS in the folder (or its parent, as in the HF repo layout). */
  private async checksums(): Promise<Map<string, string>> {
    if (this.sums) return this.sums;
    this.sums = new Map();
    for (const f of [join(this.dir, "SHA256SUMS"), join(this.dir, "..", "SHA256SUMS")]) {
      if (!existsSync(f)) continue;
      for (const line of (await readFile(f, "utf8")).split("\n")) {
        const m = /^([0-9a-f]{64})\s+\*?(.+)$/.exec(line.trim());
        if (m) this.sums.set(m[2]!.replace(/^(\.\/)?voices\//, ""), m[1]!);
      }
    }
    return this.sums;
  }
}

export class MirrorVoiceSource implements VoiceSource {
  readonly kind = "mirror";
  constructor(private readonly bus: Bus) {}

  async list() {
    const reply = await this.bus.requestJson(
      contracts.mirror.lookup,
      { v: 1, path: "voices/*.bin" },
      { timeoutMs: 5000 },
    );
    if ("error" in reply) return [];
    return reply.files.map((f) => f.path.replace(/^voices\//, "").replace(/\.bin$/, "")).sort();
  }

  async load(name: string): Promise<VoiceFile | undefined> {
    const reply = await this.bus.requestJson(
      contracts.mirror.lookup,
      { v: 1, path: `voices/${name}.bin` },
      { timeoutMs: 5000 },
    );
    if ("error" in reply || reply.files.length === 0) return undefined;
    const f = reply.files[0]!;
    let bytes: Uint8Array;
    if (f.local_path && existsSync(f.local_path)) bytes = new Uint8Array(await readFile(f.local_path));
    else if (f.url) {
      const res = await fetch(f.url);
      if (!res.ok)
        throw new AppError(
          503,
          "voice_unavailable",
          `mirror could not serve voice '${name}': HTTP ${res.status}`,
        );
      bytes = new Uint8Array(await res.arrayBuffer());
    } else return undefined;
    return { bytes, expectedSha256: f.sha256, source: f.url ?? f.local_path! };
  }
}

export interface ResolvedVoice {
  /** Canonical name of the voice or mix. */
  label: string;
  packs: { name: string; pack: Float32Array; weight: number }[];
}

/** Voice packs, verified and kept in a bounded LRU cache. */
export class VoiceStore {
  private cache = new Map<string, Float32Array>();
  private loading = new Map<string, Promise<Float32Array>>();

  constructor(
    private readonly source: VoiceSource,
    private readonly capacity = 16,
  ) {}

  get kind() {
    return this.source.kind;
  }

  list(): Promise<string[]> {
    return this.source.list();
  }

  async resolve(expression: string): Promise<ResolvedVoice> {
    const parts = parseVoiceExpression(expression);
    const packs = await Promise.all(
      parts.map(async (p) => ({ name: p.name, weight: p.weight, pack: await this.get(p.name) })),
    );
    return { label: formatVoice(parts), packs };
  }

  /**
   * A voice checked by name only, for engines that ignore style vectors: any
   * name the source lists or Kokoro v1.0 ships, whether or not its pack is here.
   */
  async resolveByName(expression: string): Promise<ResolvedVoice> {
    const parts = parseVoiceExpression(expression);
    const listed = await this.source.list().catch(() => [] as string[]);
    const known = new Set([...listed, ...KOKORO_V1_VOICES]);
    const unknown = parts.find((p) => !known.has(p.name));
    if (unknown)
      throw new AppError(
        400,
        "unknown_voice",
        `voice '${unknown.name}' is not available; available voices: ${[...known].sort().join(", ")}`,
        "voice",
      );
    return {
      label: formatVoice(parts),
      packs: parts.map((p) => ({ name: p.name, weight: p.weight, pack: new Float32Array(0) })),
    };
  }

  async get(name: string): Promise<Float32Array> {
    const hit = this.cache.get(name);
    if (hit) {
      this.cache.delete(name);
      this.cache.set(name, hit);
      return hit;
    }
    let p = this.loading.get(name);
    if (!p) {
      p = this.load(name).finally(() => this.loading.delete(name));
      this.loading.set(name, p);
    }
    return p;
  }

  private async load(name: string): Promise<Float32Array> {
    const file = await this.source.load(name);
    if (!file) {
      const available = await this.source.list().catch(() => []);
      throw new AppError(
        400,
        "unknown_voice",
        `voice '${name}' is not available${available.length ? `; available voices: ${available.join(", ")}` : ""}`,
        "voice",
      );
    }
    if (file.expectedSha256) {
      const actual = createHash("sha256").update(file.bytes).digest("hex");
      if (actual !== file.expectedSha256) {
        throw new AppError(
          503,
          "voice_corrupt",
          `voice pack '${name}' failed its checksum (${file.source}); it was not used`,
        );
      }
    }
    let pack: Float32Array;
    try {
      pack = packFromBytes(file.bytes);
    } catch (err) {
      throw new AppError(503, "voice_corrupt", `voice pack '${name}' is unusable: ${(err as Error).message}`);
    }
    this.cache.set(name, pack);
    while (this.cache.size > this.capacity) this.cache.delete(this.cache.keys().next().value!);
    return pack;
  }
}
