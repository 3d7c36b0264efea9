/**
 * The same distributed checks with the gateway, g2p and the model-mirror on
 * Deno (each started as its deno.json task does) and synth on Bun: the
 * services run unchanged on either runtime.
 */
import { distributedSuite } from "./distributed.suite";

await distributedSuite("distributed: gateway, g2p and mirror on Deno, synth on Bun", {
  gateway: "deno",
  g2p: "deno",
  mirror: "deno",
  synth: "bun",
});
