/**
 * The runtime seam: everything that differs between Bun and Deno, one small
 * adapter per concern. Code outside this folder uses these and never `Bun.*`
 * or `Deno.*`, so a service runs unchanged on either (like nats.js, whose core
 * knows nothing of the runtime and whose transports are small modules).
 *
 *   runtime.ts   which runtime this is
 *   http.ts      serving HTTP (Bun.serve | Deno.serve), WebSocket upgrades and client
 *                addresses through Hono's adapter for the runtime (http-bun.ts, http-deno.ts),
 *                and WebSockets with subprotocols and backpressure (upgradeSocket, sockets.ts)
 *   files.ts     files and byte ranges as response bodies
 *   gc.ts        forcing a garbage collection
 *   workers.ts   worker threads
 *   mapped-file.ts  a file mapped once per process and viewed from every thread (the model's weights)
 *   native-heap.ts  giving memory freed by native code (onnxruntime) back to the system
 *
 * NATS needs no adapter: @nats-io/transport-node runs on both, and
 * NATS_URL=ws://... picks nats.js's WebSocket transport (../bus/nats-connect.ts).
 */
export { runtime, runtimeLabel, type RuntimeName } from "./runtime";
export { serve, upgradeWebSocket, upgradeSocket, connInfo, type ServeOptions, type Served } from "./http";
export { closeReason, type ServerSocket, type ServerSocketEvents, type SocketSettings } from "./sockets";
export { openFile, type FileSource } from "./files";
export { collectGarbage, canCollectGarbage } from "./gc";
export { startWorker } from "./workers";
export { canMapFiles, mapFile, viewMapping, type MappedFile } from "./mapped-file";
export { trimNativeHeap } from "./native-heap";
