/** Who is calling: set on every /v1 request by the auth middleware, read by limits and routes. */
import type { KeyIdentity } from "./keys";

export interface Caller {
  /** The live API key, when one was given. */
  key?: KeyIdentity;
  /** Keys are required but none came with the request: the route checks one later (ElevenLabs' socket sends it in its first message). */
  keyPending?: boolean;
  /** What limits count against: `key:<id>` or `ip:<address>`. */
  id: string;
}

/** What the auth middleware sets on the context (routes outside /v1 have no caller). */
export type CallerVariables = { caller: Caller | undefined };
