import { defineConfig } from "drizzle-kit";

// `npx drizzle-kit generate` (from packages/runtime) writes the SQL migrations
// that openDatabase applies at start-up. No database is needed to generate.
export default defineConfig({
  dialect: "postgresql",
  schema: "./src/db/schema/index.ts",
  out: "./drizzle",
});
