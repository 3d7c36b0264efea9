/** The statement counter the database-load tests rely on, against the real Postgres and postgres-js. */
import { describe, expect, test } from "bun:test";
import postgres from "postgres";
import { TEST_DATABASE_URL, havePostgres } from "@kokoro-edge/runtime/src/testing/services";
import { countingPgProxy } from "./pg-statements";

((await havePostgres()) ? describe : describe.skip)("counting statements on the wire", () => {
  test("each statement counts once, pipelined or in a transaction; nothing else does", async () => {
    const proxy = await countingPgProxy(TEST_DATABASE_URL);
    const sql = postgres(proxy.url, { max: 1, onnotice: () => {} });
    try {
      await sql`select 1`; // the connection's own setup sends a statement or two
      const before = proxy.statements();
      await Promise.all(Array.from({ length: 10 }, (_, i) => sql`select ${i}::int as n`));
      expect(proxy.statements() - before).toBe(10);
      const mid = proxy.statements();
      await sql.begin(async (tx) => {
        await tx`select 1`;
        await tx`select 2`;
      });
      // begin, two statements, commit
      expect(proxy.statements() - mid).toBe(4);
      // the simple protocol: one Query message, however many statements it holds
      await sql.unsafe("select 1; select 2").simple();
      expect(proxy.statements() - mid).toBe(5);
    } finally {
      await sql.end({ timeout: 1 });
      await proxy.close();
    }
  });
});
