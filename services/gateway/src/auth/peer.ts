/** The address a request came from, as the runtime's connection info tells it. */
import type { Context } from "hono";
import { connInfo } from "@kokoro-edge/runtime";

/** The peer's address (the last hop: a proxy, when there is one). */
export function peerAddress(c: Context): string {
  try {
    return connInfo(c).remote.address ?? "unknown";
  } catch {
    return "unknown"; // not served by listen() (app.fetch in tests)
  }
}
