import { z } from "zod";
import { contractVersion } from "./common";

/** An API key was revoked: every gateway forgets its cached lookup at once. */
export const KeyRevoked = z.object({ v: contractVersion, id: z.string() });
export type KeyRevoked = z.infer<typeof KeyRevoked>;
