/**
 * The JSON body of the gateway's `POST /v1/audio/phonemize`, built from a
 * G2pResult (the gateway calls g2p over the bus, then this).
 */
import { g2pResultFromChunks, phonemizeView, type G2pResult, type PhonemizeView } from "@kokoro-edge/proto";

export type PhonemizeResponse = PhonemizeView;

/** The gateway's phonemize body; the one implementation lives with the contracts. */
export const phonemizeResponse = (result: G2pResult, input: string): PhonemizeResponse =>
  phonemizeView(result, input);

/** A G2pResult from chunks received on the streamed subject (for texts too long for one reply). */
export const resultFromChunks = g2pResultFromChunks;
