/**
 * The model mirror's catalogue. Blobs live on disk by sha256; names, revisions
 * and provenance live here.
 */
import {
  bigint,
  boolean,
  index,
  integer,
  pgTable,
  serial,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";

/** A Hugging Face model repository the mirror keeps (`owner/name`). */
export const mirrorRepos = pgTable("mirror_repos", {
  id: serial("id").primaryKey(),
  name: text("name").notNull().unique(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

/**
 * A revision (branch, tag or commit) resolved to a commit at some time. A row
 * is a version; it is served only once `completedAt` is set, which happens in
 * the same transaction that records its last verified file.
 */
export const mirrorRevisions = pgTable(
  "mirror_revisions",
  {
    id: serial("id").primaryKey(),
    repoId: integer("repo_id")
      .notNull()
      .references(() => mirrorRepos.id, { onDelete: "cascade" }),
    revision: text("revision").notNull(),
    commit: text("commit").notNull(),
    fileCount: integer("file_count").notNull().default(0),
    /** Which upstream said what the commit is. */
    resolvedFrom: text("resolved_from"),
    resolvedAt: timestamp("resolved_at", { withTimezone: true }).notNull().defaultNow(),
    completedAt: timestamp("completed_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("mirror_revisions_repo_rev_commit").on(t.repoId, t.revision, t.commit),
    index("mirror_revisions_completed").on(t.repoId, t.revision, t.completedAt),
  ],
);

/** One file of one version: where its verified bytes are, and who served them. */
export const mirrorFiles = pgTable(
  "mirror_files",
  {
    id: serial("id").primaryKey(),
    revisionId: integer("revision_id")
      .notNull()
      .references(() => mirrorRevisions.id, { onDelete: "cascade" }),
    path: text("path").notNull(),
    size: bigint("size", { mode: "number" }).notNull(),
    sha256: text("sha256").notNull(),
    /** Git object id: the blob sha1 for small files, the LFS pointer's sha256 for LFS files. */
    gitOid: text("git_oid"),
    lfs: boolean("lfs").notNull().default(false),
    upstream: text("upstream").notNull(),
    fetchedAt: timestamp("fetched_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("mirror_files_revision_path").on(t.revisionId, t.path),
    index("mirror_files_sha256").on(t.sha256),
  ],
);

/** Blobs in the content-addressed store, with the scrub's findings. */
export const mirrorBlobs = pgTable("mirror_blobs", {
  sha256: text("sha256").primaryKey(),
  size: bigint("size", { mode: "number" }).notNull(),
  storedAt: timestamp("stored_at", { withTimezone: true }).notNull().defaultNow(),
  verifiedAt: timestamp("verified_at", { withTimezone: true }).notNull().defaultNow(),
  /** Set when a scrub found the bytes no longer match; cleared once re-fetched. */
  quarantinedAt: timestamp("quarantined_at", { withTimezone: true }),
});

/** One attempt to bring a repo revision up to date, and how it ended. */
export const mirrorSyncRuns = pgTable(
  "mirror_sync_runs",
  {
    id: serial("id").primaryKey(),
    repo: text("repo").notNull(),
    revision: text("revision").notNull(),
    instance: text("instance"),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
    /** running | complete | unchanged | failed */
    outcome: text("outcome").notNull().default("running"),
    commit: text("commit"),
    filesFetched: integer("files_fetched").notNull().default(0),
    bytesFetched: bigint("bytes_fetched", { mode: "number" }).notNull().default(0),
    /** Plain words: what failed and on which upstreams. */
    detail: text("detail"),
  },
  (t) => [index("mirror_sync_runs_repo").on(t.repo, t.startedAt)],
);
