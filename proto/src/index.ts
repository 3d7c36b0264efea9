export * from "./version";
export * from "./subjects";
export * from "./common";
export * from "./g2p";
export * from "./synth";
export * from "./mirror";
export * from "./kokoro";
export * from "./jobs";
