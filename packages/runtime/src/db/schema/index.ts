/**
 * Every table, by domain. To add a domain: write `schema/<domain>.ts`, export it
 * here, then `npx drizzle-kit generate` (from packages/runtime) and commit the SQL.
 */
export * from "./mirror";
export * from "./gateway";
export * from "./jobs";
export * from "./limits";
export * from "./projects";
