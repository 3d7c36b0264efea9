/**
 * What a deployment's mirror keeps, and what synth and g2p will get from it,
 * worked out by the services' own code from the environment the manifests (or
 * the Terraform module) give them: the mirror's config schema (MIRROR_REPOS or
 * its KOKORO_DTYPE default, MIRROR_PINNED), its glob matcher, and synth's
 * choice of model file. Shared by the kustomize and Terraform checks so both
 * deployments are held to the same wiring.
 */
import { expect } from "bun:test";
import {
  KOKORO_REPO,
  MISAKI_LEXICONS,
  MISAKI_REPO,
  MODEL_VARIANTS,
  TOKENIZER_FILE,
  type Dtype,
  type MirrorFile,
} from "@kokoro-edge/proto";
import { matcher } from "../../../services/model-mirror/src/glob";
import { pickModelFile } from "../../../services/synth/src/model-source";
import { SERVICES } from "./repo";
import { loadSchema } from "./schema-of";

export interface ModelWiring {
  /** The repo synth and g2p look the model and vocab up in: the mirror's first (their lookups name no repo). */
  modelRepo: string;
  /** Which of the eight onnx/ variants the mirror keeps there. */
  mirrorModels: string[];
  /** The file synth loads from what the mirror keeps, or why it cannot. */
  synthLoads: string;
  /** g2p's vocab file is kept beside the model. */
  keepsTokenizer: boolean;
  keepsVoices: boolean;
  /** misaki's lexicons the mirror pins (path -> sha256), in the repo g2p asks for them. */
  lexicons: Record<string, string>;
  /** Where the mirror fetches from: its upstreams and the plain HTTPS sources of pinned files. */
  upstreams: string[];
  pinnedUpstreams: string[];
}

/** A lookup reply's entry for a file the mirror keeps (the bytes do not matter here). */
const held = (repo: string, path: string): MirrorFile => ({
  repo,
  revision: "main",
  commit: "0".repeat(40),
  path,
  size: 1,
  sha256: "0".repeat(64),
});

export async function modelWiring(
  mirrorEnv: Record<string, string>,
  synthEnv: Record<string, string>,
): Promise<ModelWiring> {
  const mirrorSchema = await loadSchema(SERVICES.find((s) => s.name === "model-mirror")!);
  const synthSchema = await loadSchema(SERVICES.find((s) => s.name === "synth")!);
  const mirror = mirrorSchema.parse(mirrorEnv);
  const synth = synthSchema.parse(synthEnv);
  const repos: { repo: string; patterns: string[]; pinned?: Record<string, string> }[] = mirror.MIRROR_REPOS;
  const first = repos[0]!;
  const keeps = matcher(first.patterns);
  const mirrorModels = Object.values(MODEL_VARIANTS).filter(keeps);
  const pick = pickModelFile(
    mirrorModels.map((p) => held(first.repo, p)),
    synth.KOKORO_DTYPE,
  );
  const misaki = repos.find((r) => r.repo === MISAKI_REPO);
  const lexicons = Object.fromEntries(
    Object.keys(MISAKI_LEXICONS).flatMap((p) => (misaki?.pinned?.[p] ? [[p, misaki.pinned[p]]] : [])),
  );
  return {
    modelRepo: first.repo,
    mirrorModels,
    synthLoads: "problem" in pick ? pick.problem : pick.path,
    keepsTokenizer: keeps(TOKENIZER_FILE),
    keepsVoices: keeps("voices/af_heart.bin") && keeps("voices/bm_george.bin"),
    lexicons,
    upstreams: mirror.MIRROR_UPSTREAMS.map((u: { url: string }) => u.url),
    pinnedUpstreams: mirror.MIRROR_PINNED_UPSTREAMS.map((u: { url: string }) => u.url),
  };
}

/**
 * The mirror keeps exactly the one variant `dtype` names, beside the vocab and
 * the voices, in the repo synth and g2p ask; synth loads that same file; and
 * misaki's four lexicons are pinned with the project's sums, with a source to
 * fetch them from.
 */
export function expectAgreement(w: ModelWiring, dtype: Dtype, where: string): void {
  const want = MODEL_VARIANTS[dtype];
  expect({ where, repo: w.modelRepo, mirror: w.mirrorModels, synth: w.synthLoads }).toEqual({
    where,
    repo: KOKORO_REPO,
    mirror: [want],
    synth: want,
  });
  expect({ where, tokenizer: w.keepsTokenizer, voices: w.keepsVoices }).toEqual({
    where,
    tokenizer: true,
    voices: true,
  });
  expect({ where, lexicons: w.lexicons }).toEqual({ where, lexicons: { ...MISAKI_LEXICONS } });
  expect(w.pinnedUpstreams.length).toBeGreaterThan(0);
}
