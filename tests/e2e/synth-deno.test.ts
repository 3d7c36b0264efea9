/**
 * Synth on Deno too: all four services on Deno. onnxruntime-node is a
 * Node-API addon, which Deno loads (--allow-ffi) in its worker threads as
 * well; the same checks pass. Synth stays out of the edge story all the same:
 * edge platforms load no native addons (see README, "What runs where").
 */
import { distributedSuite } from "./distributed.suite";

await distributedSuite("distributed: all four on Deno, synth included", {
  gateway: "deno",
  g2p: "deno",
  mirror: "deno",
  synth: "deno",
});
