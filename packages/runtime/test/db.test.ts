import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TransactionRollbackError, eq, sql } from "drizzle-orm";
import {
  DatabaseError,
  apiKeys,
  mirrorFiles,
  mirrorRepos,
  mirrorRevisions,
  openDatabase,
  speechRequests,
  type Database,
} from "../src/db";
import { TEST_DATABASE_URL, havePostgres } from "../src/testing/services";

const unique = () => `${Date.now().toString(36)}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;

function dbSuite(name: string, open: () => Promise<Database>) {
  describe(`database (${name})`, () => {
    test("migrations apply twice without error, and concurrent opens both succeed", async () => {
      const first = await open();
      await first.close();
      const [a, b] = await Promise.all([open(), open()]);
      expect(await a.ping()).toBe(true);
      expect(await b.ping()).toBe(true);
      const tables = await a.db.execute(
        sql`select table_name from information_schema.tables where table_schema = 'public' order by table_name`,
      );
      const names = (Array.isArray(tables) ? tables : (tables as { rows: unknown[] }).rows).map(
        (r) => (r as { table_name: string }).table_name,
      );
      for (const t of [
        "api_keys",
        "mirror_files",
        "mirror_repos",
        "mirror_revisions",
        "mirror_sync_runs",
        "speech_requests",
      ])
        expect(names).toContain(t);
      await a.close();
      await b.close();
    });

    test("insert/select round trip across domains", async () => {
      const d = await open();
      try {
        const tag = unique();
        const [repo] = await d.db
          .insert(mirrorRepos)
          .values({ name: `test/${tag}` })
          .returning();
        const [rev] = await d.db
          .insert(mirrorRevisions)
          .values({
            repoId: repo!.id,
            revision: "main",
            commit: "a".repeat(40),
            fileCount: 1,
            completedAt: new Date(),
          })
          .returning();
        await d.db.insert(mirrorFiles).values({
          revisionId: rev!.id,
          path: "voices/af_heart.bin",
          size: 522240,
          sha256: "b".repeat(64),
          upstream: "file:///x",
        });
        const files = await d.db.select().from(mirrorFiles).where(eq(mirrorFiles.revisionId, rev!.id));
        expect(files).toHaveLength(1);
        expect(files[0]!.size).toBe(522240);
        expect(files[0]!.lfs).toBe(false);

        await d.db.delete(mirrorRepos).where(eq(mirrorRepos.id, repo!.id));
        expect(await d.db.select().from(mirrorFiles).where(eq(mirrorFiles.revisionId, rev!.id))).toHaveLength(
          0,
        );

        // API keys inside a transaction that is rolled back: on the shared test
        // database, a key other processes could see switches the gateway out of open mode.
        let checked = false;
        await d.db
          .transaction(async (tx) => {
            const [key] = await tx
              .insert(apiKeys)
              .values({ name: `k-${tag}`, keyPrefix: "ke-abc", keyHash: `h-${tag}`, maxStreams: 4 })
              .returning();
            expect(key!.id).toMatch(/^[0-9a-f-]{36}$/);
            await tx.insert(speechRequests).values({
              id: `req-${tag}`,
              apiKeyId: key!.id,
              route: "/v1/audio/speech",
              status: "ok",
              inputChars: 12,
              ttfaMs: 80,
              audioSeconds: 1.5,
            });
            const [row] = await tx
              .select()
              .from(speechRequests)
              .where(eq(speechRequests.id, `req-${tag}`));
            expect(row!.apiKeyId).toBe(key!.id);
            expect(row!.audioSeconds).toBeCloseTo(1.5);
            expect(row!.createdAt).toBeInstanceOf(Date);
            await tx.delete(apiKeys).where(eq(apiKeys.id, key!.id));
            const [orphan] = await tx
              .select()
              .from(speechRequests)
              .where(eq(speechRequests.id, `req-${tag}`));
            expect(orphan!.apiKeyId).toBeNull(); // on delete set null
            checked = true;
            tx.rollback();
          })
          .catch((e: unknown) => {
            if (!(e instanceof TransactionRollbackError)) throw e;
          });
        expect(checked).toBe(true);
        expect(
          await d.db
            .select()
            .from(speechRequests)
            .where(eq(speechRequests.id, `req-${tag}`)),
        ).toHaveLength(0);
        // a duplicate key hash is refused by the unique constraint (rolled back the same way)
        const dup = await d.db
          .transaction(async (tx) => {
            await tx.insert(apiKeys).values({ name: "a", keyPrefix: "x", keyHash: `dup-${tag}` });
            await tx.insert(apiKeys).values({ name: "b", keyPrefix: "x", keyHash: `dup-${tag}` });
          })
          .then(() => null)
          .catch((e: unknown) => e);
        expect(dup).toBeInstanceOf(Error);
        expect(
          await d.db
            .select()
            .from(apiKeys)
            .where(eq(apiKeys.keyHash, `dup-${tag}`)),
        ).toHaveLength(0);
      } finally {
        await d.close();
      }
    });
  });
}

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const pgliteDir = mkdtempSync(join(tmpdir(), "ke-db-"));
dirs.push(pgliteDir);
dbSuite("pglite", () => openDatabase({ dataDir: pgliteDir }));

test("pglite: another live process holding the directory is refused plainly", async () => {
  const dir = mkdtempSync(join(tmpdir(), "ke-db-"));
  dirs.push(dir);
  const other = Bun.spawn(["sleep", "30"]);
  try {
    await Bun.write(join(dir, "pglite.lock"), String(other.pid));
    const err = await openDatabase({ dataDir: dir }).catch((e) => e);
    expect(err).toBeInstanceOf(DatabaseError);
    expect(err.message).toContain(`in use by process ${other.pid}`);
  } finally {
    other.kill();
  }
});

test("postgres: unreachable server gives a clear error", async () => {
  const err = await openDatabase({
    databaseUrl: "postgres://u:secret@127.0.0.1:1/x",
    dataDir: "/nonexistent",
    connectTimeoutSec: 2,
  }).catch((e) => e);
  expect(err).toBeInstanceOf(DatabaseError);
  expect(err.message).toContain("cannot reach Postgres at postgres://u:***@127.0.0.1:1/x");
  expect(err.message).toContain("connection refused");
  expect(err.message).not.toContain("secret");
});

if (await havePostgres()) {
  dbSuite("postgres", () => openDatabase({ databaseUrl: TEST_DATABASE_URL, dataDir: "/nonexistent" }));
}

if (await havePostgres()) {
  test("postgres: replicas starting together on an empty database migrate it once, without racing", async () => {
    const admin = (await import("postgres")).default(TEST_DATABASE_URL, { max: 1, onnotice: () => {} });
    const name = `ke_migrate_${unique().replace(/[^a-z0-9]/g, "_")}`;
    await admin.unsafe(`create database ${name}`);
    const url = new URL(TEST_DATABASE_URL);
    url.pathname = `/${name}`;
    try {
      const opened = await Promise.all(
        [0, 1, 2].map(() => openDatabase({ databaseUrl: url.toString(), dataDir: "/nonexistent" })),
      );
      for (const d of opened) expect(await d.ping()).toBe(true);
      const applied = await opened[0]!.db.execute(
        sql`select count(*)::int as n from drizzle.__drizzle_migrations`,
      );
      const rows = Array.isArray(applied) ? applied : (applied as { rows: unknown[] }).rows;
      const { readdirSync } = await import("node:fs");
      const { migrationsFolder } = await import("../src/db");
      expect((rows[0] as { n: number }).n).toBe(
        readdirSync(migrationsFolder).filter((f) => f.endsWith(".sql")).length,
      );
      await Promise.all(opened.map((d) => d.close()));
    } finally {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
  });
}

test("the committed migrations match the schema (run `npx drizzle-kit generate` in packages/runtime after changing it)", async () => {
  const { cpSync, readdirSync } = await import("node:fs");
  const { migrationsFolder } = await import("../src/db");
  const work = mkdtempSync(join(tmpdir(), "ke-drift-"));
  dirs.push(work);
  cpSync(migrationsFolder, join(work, "drizzle"), { recursive: true });
  const before = readdirSync(join(work, "drizzle")).length;
  const kit = join(import.meta.dir, "../../../node_modules/.bin/drizzle-kit");
  const proc = Bun.spawn(
    [
      kit,
      "generate",
      "--dialect",
      "postgresql",
      "--schema",
      join(import.meta.dir, "../src/db/schema/index.ts"),
      "--out",
      "./drizzle",
    ],
    { cwd: work, stdout: "pipe", stderr: "pipe" },
  );
  const out = (await new Response(proc.stdout).text()) + (await new Response(proc.stderr).text());
  expect(await proc.exited).toBe(0);
  expect(out).toContain("No schema changes");
  expect(readdirSync(join(work, "drizzle")).length).toBe(before);
});
