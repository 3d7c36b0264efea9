import { expect, test } from "bun:test";
import { G2pMetrics } from "../src/metrics";

test("g2p metrics render latency, outcomes and characters in the Prometheus format, with the process's own", async () => {
  const m = new G2pMetrics();
  m.latency.observe(0.004);
  m.requests.inc({ outcome: "ok" });
  m.requests.inc({ outcome: "empty_input" });
  m.chars.inc(42);
  const text = await m.render();
  expect(text).toContain("# TYPE kokoro_g2p_seconds histogram");
  expect(text).toContain('kokoro_g2p_seconds_bucket{le="0.005"} 1');
  expect(text).toContain('kokoro_g2p_seconds_bucket{le="0.0025"} 0');
  expect(text).toContain('kokoro_g2p_requests_total{outcome="empty_input"} 1');
  expect(text).toContain("kokoro_g2p_chars_total 42");
  // process and runtime metrics: memory, heap, event-loop lag
  expect(text).toMatch(/^process_resident_memory_bytes \d+/m);
  expect(text).toMatch(/^nodejs_heap_size_used_bytes \d+/m);
  expect(text).toMatch(/^nodejs_eventloop_lag_p99_seconds [\d.e-]+/m);
});
