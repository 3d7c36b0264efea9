import { z } from "zod";
import { CONTRACT_VERSION } from "./version";

export const contractVersion = z.literal(CONTRACT_VERSION);

/** An error as it travels between services. `status` is the HTTP status the gateway should answer with. */
export const WireError = z.object({
  code: z.string(),
  message: z.string(),
  status: z.number().int().min(400).max(599),
  param: z.string().optional(),
});
export type WireError = z.infer<typeof WireError>;

/** Any reply that can fail: either the payload or `{ v, error }`. */
export const ErrorReply = z.object({ v: contractVersion, error: WireError });
export type ErrorReply = z.infer<typeof ErrorReply>;

export const Ping = z.object({ v: contractVersion });
export type Ping = z.infer<typeof Ping>;

/** What a service replica says about itself (status subjects, /readyz). */
export const ServiceStatus = z.object({
  v: contractVersion,
  service: z.enum(["g2p", "synth", "mirror", "gateway"]),
  instance: z.string(),
  ready: z.boolean(),
  /** Plain words for an operator: why not ready, or what is loaded. */
  detail: z.string(),
  engine: z.string().optional(),
  model: z.string().optional(),
  model_version: z.string().optional(),
  /** synth: requests waiting for the inference engine in this replica */
  queue_depth: z.number().int().nonnegative().optional(),
  active_streams: z.number().int().nonnegative().optional(),
});
export type ServiceStatus = z.infer<typeof ServiceStatus>;
