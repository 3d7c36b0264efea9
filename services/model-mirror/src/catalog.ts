/** The mirror's rows in the database: versions, their files, blobs and sync runs. */
import { and, desc, eq, isNotNull, or, sql } from "drizzle-orm";
import {
  mirrorBlobs,
  mirrorFiles,
  mirrorRepos,
  mirrorRevisions,
  mirrorSyncRuns,
  type Db,
} from "@kokoro-edge/runtime";

export interface VersionFile {
  path: string;
  size: number;
  sha256: string;
  gitOid: string | null;
  lfs: boolean;
  upstream: string;
  fetchedAt: Date;
}

export interface Version {
  repo: string;
  revision: string;
  commit: string;
  completedAt: Date;
  files: VersionFile[];
}

export class Catalog {
  constructor(private readonly db: Db) {}

  /** The most recently completed version of `repo` at `revision` (a name or a commit sha). */
  async latest(repo: string, revision: string): Promise<Version | undefined> {
    const rows = await this.db
      .select({
        id: mirrorRevisions.id,
        revision: mirrorRevisions.revision,
        commit: mirrorRevisions.commit,
        completedAt: mirrorRevisions.completedAt,
      })
      .from(mirrorRevisions)
      .innerJoin(mirrorRepos, eq(mirrorRepos.id, mirrorRevisions.repoId))
      .where(
        and(
          eq(mirrorRepos.name, repo),
          or(eq(mirrorRevisions.revision, revision), eq(mirrorRevisions.commit, revision)),
          isNotNull(mirrorRevisions.completedAt),
        ),
      )
      .orderBy(desc(mirrorRevisions.completedAt), desc(mirrorRevisions.id))
      .limit(1);
    const row = rows[0];
    if (!row) return undefined;
    const files = await this.db
      .select()
      .from(mirrorFiles)
      .where(eq(mirrorFiles.revisionId, row.id))
      .orderBy(mirrorFiles.path);
    return {
      repo,
      revision: row.revision,
      commit: row.commit,
      completedAt: row.completedAt!,
      files: files.map((f) => ({
        path: f.path,
        size: f.size,
        sha256: f.sha256,
        gitOid: f.gitOid,
        lfs: f.lfs,
        upstream: f.upstream,
        fetchedAt: f.fetchedAt,
      })),
    };
  }

  /**
   * Record a version whose every file is verified in the store, in one
   * transaction: it becomes visible complete or not at all.
   */
  async recordVersion(v: {
    repo: string;
    revision: string;
    commit: string;
    resolvedFrom: string;
    files: Omit<VersionFile, "fetchedAt">[];
  }): Promise<Version> {
    return this.db.transaction(async (tx) => {
      await tx.insert(mirrorRepos).values({ name: v.repo }).onConflictDoNothing();
      const [repo] = await tx
        .select({ id: mirrorRepos.id })
        .from(mirrorRepos)
        .where(eq(mirrorRepos.name, v.repo));
      const now = new Date();
      const [rev] = await tx
        .insert(mirrorRevisions)
        .values({
          repoId: repo!.id,
          revision: v.revision,
          commit: v.commit,
          fileCount: v.files.length,
          resolvedFrom: v.resolvedFrom,
          resolvedAt: now,
          completedAt: now,
        })
        .onConflictDoUpdate({
          target: [mirrorRevisions.repoId, mirrorRevisions.revision, mirrorRevisions.commit],
          set: { fileCount: v.files.length, resolvedFrom: v.resolvedFrom, resolvedAt: now, completedAt: now },
        })
        .returning({ id: mirrorRevisions.id });
      await tx.delete(mirrorFiles).where(eq(mirrorFiles.revisionId, rev!.id));
      if (v.files.length) {
        await tx.insert(mirrorFiles).values(
          v.files.map((f) => ({
            revisionId: rev!.id,
            path: f.path,
            size: f.size,
            sha256: f.sha256,
            gitOid: f.gitOid,
            lfs: f.lfs,
            upstream: f.upstream,
            fetchedAt: now,
          })),
        );
        const blobs = new Map(v.files.map((f) => [f.sha256, f.size]));
        await tx
          .insert(mirrorBlobs)
          .values([...blobs].map(([sha256, size]) => ({ sha256, size, storedAt: now, verifiedAt: now })))
          .onConflictDoUpdate({ target: mirrorBlobs.sha256, set: { quarantinedAt: null } });
      }
      return {
        repo: v.repo,
        revision: v.revision,
        commit: v.commit,
        completedAt: now,
        files: v.files.map((f) => ({ ...f, fetchedAt: now })),
      };
    });
  }

  /** sha256 already known for a small file, by git oid, from earlier versions. */
  async sha256ForGitOid(gitOid: string): Promise<string | undefined> {
    // Only small-file rows: an LFS row's git oid names its pointer, not its content.
    const [row] = await this.db
      .select({ sha256: mirrorFiles.sha256 })
      .from(mirrorFiles)
      .where(and(eq(mirrorFiles.gitOid, gitOid), eq(mirrorFiles.lfs, false)))
      .limit(1);
    return row?.sha256;
  }

  async startRun(repo: string, revision: string, instance: string): Promise<number> {
    const [row] = await this.db
      .insert(mirrorSyncRuns)
      .values({ repo, revision, instance })
      .returning({ id: mirrorSyncRuns.id });
    return row!.id;
  }

  async finishRun(
    id: number,
    r: {
      outcome: "complete" | "unchanged" | "failed";
      commit?: string;
      filesFetched: number;
      bytesFetched: number;
      detail?: string;
    },
  ) {
    await this.db
      .update(mirrorSyncRuns)
      .set({
        outcome: r.outcome,
        commit: r.commit,
        filesFetched: r.filesFetched,
        bytesFetched: r.bytesFetched,
        detail: r.detail?.slice(0, 4000),
        finishedAt: new Date(),
      })
      .where(eq(mirrorSyncRuns.id, id));
  }

  async markVerified(sha256: string) {
    await this.db
      .update(mirrorBlobs)
      .set({ verifiedAt: new Date(), quarantinedAt: null })
      .where(eq(mirrorBlobs.sha256, sha256));
  }

  async markQuarantined(sha256: string) {
    await this.db
      .update(mirrorBlobs)
      .set({ quarantinedAt: new Date() })
      .where(eq(mirrorBlobs.sha256, sha256));
  }

  async recentRuns(repo: string, limit = 5) {
    return this.db
      .select()
      .from(mirrorSyncRuns)
      .where(eq(mirrorSyncRuns.repo, repo))
      .orderBy(desc(mirrorSyncRuns.startedAt), desc(mirrorSyncRuns.id))
      .limit(limit);
  }

  async ping() {
    await this.db.execute(sql`select 1`);
  }
}
