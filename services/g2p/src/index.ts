export { startG2p, type G2pService, type G2pDeps } from "./service";
export { g2pConfig, type G2pConfig } from "./config";
export { phonemizeResponse, resultFromChunks, type PhonemizeResponse } from "./response";
export { phonemizeText, phonemizeChunks, type PhonemizeOptions, type Resources } from "./engine";
export { resolveLanguage, SUPPORTED_LANGUAGES } from "./language";
