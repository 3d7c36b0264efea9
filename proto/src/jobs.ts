import { z } from "zod";
import { contractVersion } from "./common";

/**
 * A job's progress changed (published by the gateway rendering it, heard by
 * every gateway that holds an event stream open for it). Only the progress
 * columns: a listener that needs the whole job reads it once, at the end.
 */
export const JobEvent = z.object({
  v: contractVersion,
  id: z.string(),
  status: z.enum(["queued", "running", "succeeded", "failed", "cancelled"]),
  cues_done: z.number().int().nonnegative(),
  cues_total: z.number().int().nonnegative(),
});
export type JobEvent = z.infer<typeof JobEvent>;
