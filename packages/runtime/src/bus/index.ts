export * from "./types";
export * from "./codec";
export * from "./memory";
export * from "./nats";
export * from "./stream";
export * from "./bus";
