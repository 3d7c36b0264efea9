/**
 * The gateway's Hono environment: the variables each middleware sets, composed (as Hono's own
 * middleware export theirs, e.g. `RequestIdVariables`). A leaf module: routes and middleware import
 * it, it imports only their variable types.
 */
import type { CallerVariables } from "./auth/caller";
import type { RequestVariables } from "./middleware/request-span";

export type GatewayEnv = { Variables: RequestVariables & CallerVariables };
