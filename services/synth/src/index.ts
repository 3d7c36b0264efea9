export { startSynth, type SynthService } from "./service";
export { configSchema, type SynthConfig } from "./config";
