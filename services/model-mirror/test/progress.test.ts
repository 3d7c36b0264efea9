import { describe, expect, test } from "bun:test";
import { DownloadProgress, describeProgress, formatBytes, progressBar } from "../src/progress";

describe("download progress in words", () => {
  test("percent, bytes, rate and time left, naming the largest file in progress", () => {
    let now = 0;
    const p = new DownloadProgress(() => now);
    p.expect("onnx/model_quantized.onnx", 92_000_000);
    p.expect("tokenizer.json", 3_497);
    p.started("tokenizer.json", 0);
    p.received("tokenizer.json", 3_497);
    p.finished("tokenizer.json", 3_497);
    p.started("onnx/model_quantized.onnx", 0);
    for (let i = 0; i < 20; i++) {
      now += 250;
      p.received("onnx/model_quantized.onnx", 1_900_000); // 7.6 MB/s
    }
    const s = p.snapshot();
    expect(s.file).toBe("onnx/model_quantized.onnx");
    expect(s.others).toBe(0);
    expect(s.done).toBe(38_003_497);
    expect(s.total).toBe(92_003_497);
    expect(s.rate).toBeGreaterThan(7_000_000);
    expect(s.rate).toBeLessThan(8_000_000);
    expect(p.describe()).toBe(
      "downloading onnx/model_quantized.onnx: 41 %, 38 of 92 MB, 7.6 MB/s, about 7 s left",
    );
  });

  test("a resumed file starts from what is on disk; bytes thrown away start it again", () => {
    let now = 0;
    const p = new DownloadProgress(() => now);
    p.expect("onnx/model.onnx", 1000);
    p.started("onnx/model.onnx", 600);
    expect(p.snapshot().done).toBe(600);
    p.reset("onnx/model.onnx");
    expect(p.snapshot().done).toBe(0);
    expect(p.active).toBe(true);
    p.finished("onnx/model.onnx", 1000);
    expect(p.active).toBe(false);
  });

  test("files of unknown size (pinned by checksum only) give bytes so far, no percent", () => {
    let now = 0;
    const p = new DownloadProgress(() => now);
    p.expect("misaki/data/us_gold.json");
    p.expect("misaki/data/us_silver.json");
    p.started("misaki/data/us_gold.json", 0);
    now += 1000;
    p.received("misaki/data/us_gold.json", 2_500_000);
    expect(p.describe()).toBe(
      "downloading misaki/data/us_gold.json and 1 more file: 2.5 MB so far, 2.5 MB/s",
    );
  });

  test("a stalled transfer shows its rate falling to nothing", () => {
    let now = 0;
    const p = new DownloadProgress(() => now);
    p.expect("a", 10_000_000);
    p.started("a", 0);
    now += 300;
    p.received("a", 10);
    expect(describeProgress(p.snapshot())).toBe("downloading a: 0 %, 0 kB of 10 MB, starting");
    now += 700;
    p.received("a", 1_000_000);
    now += 10_000;
    expect(describeProgress(p.snapshot())).toContain("waiting for data");
  });

  test("units and the bar", () => {
    expect(formatBytes(3_497)).toBe("3 kB");
    expect(formatBytes(522_240)).toBe("0.5 MB");
    expect(formatBytes(325_532_232)).toBe("326 MB");
    expect(progressBar(0.5, 10)).toBe("[#####-----]");
    expect(progressBar(2, 4)).toBe("[####]");
  });
});
