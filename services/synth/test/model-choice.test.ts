import { describe, expect, test } from "bun:test";
import { MODEL_VARIANTS, type MirrorFile } from "@kokoro-edge/proto";
import { pickModelFile } from "../src/model-source";

const file = (path: string): MirrorFile => ({
  repo: "onnx-community/Kokoro-82M-v1.0-ONNX",
  revision: "main",
  commit: "c".repeat(40),
  path,
  size: 1,
  sha256: "a".repeat(64),
});
const all = Object.values(MODEL_VARIANTS).map(file);

describe("which model variant a worker loads", () => {
  test("KOKORO_DTYPE names it exactly", () => {
    expect(pickModelFile(all, "fp32")).toMatchObject({ path: "onnx/model.onnx" });
    expect(pickModelFile(all, "q4f16")).toMatchObject({ path: "onnx/model_q4f16.onnx" });
  });

  test("unset, the CPU default (q8), or else the best the mirror has", () => {
    expect(pickModelFile(all)).toMatchObject({ path: "onnx/model_quantized.onnx" });
    expect(pickModelFile([file("onnx/model_fp16.onnx"), file("onnx/model.onnx")])).toMatchObject({
      path: "onnx/model.onnx",
    });
    expect(pickModelFile([file("onnx/custom.onnx")])).toMatchObject({ path: "onnx/custom.onnx" });
  });

  test("an explicit KOKORO_DTYPE the mirror lacks is a problem that says what it has and what to do", () => {
    const r = pickModelFile([file("onnx/model.onnx")], "fp16");
    expect(r).toEqual({
      problem:
        "KOKORO_DTYPE=fp16 wants onnx/model_fp16.onnx, which the model mirror does not hold (it has onnx/model.onnx (KOKORO_DTYPE=fp32)); set KOKORO_DTYPE to match, or have the mirror fetch onnx/model_fp16.onnx (its default MIRROR_REPOS follows KOKORO_DTYPE)",
    });
    expect(pickModelFile([], "fp32")).toHaveProperty("problem");
  });
});
