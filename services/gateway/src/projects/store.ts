/** Studio projects in Postgres (or PGlite), always read and written within the caller's scope. */
import { and, desc, eq } from "drizzle-orm";
import { projects, type Db } from "@kokoro-edge/runtime";
import type { ProjectDocument } from "./schema";

export type ProjectRow = typeof projects.$inferSelect;

/** How many projects one scope may keep. */
export const MAX_PROJECTS_PER_SCOPE = 500;

export class ProjectStore {
  constructor(private readonly db: Db) {}

  async list(scope: string): Promise<Omit<ProjectRow, "document">[]> {
    return this.db
      .select({
        id: projects.id,
        scope: projects.scope,
        name: projects.name,
        cueCount: projects.cueCount,
        createdAt: projects.createdAt,
        updatedAt: projects.updatedAt,
      })
      .from(projects)
      .where(eq(projects.scope, scope))
      .orderBy(desc(projects.updatedAt))
      .limit(MAX_PROJECTS_PER_SCOPE);
  }

  async count(scope: string): Promise<number> {
    return (await this.list(scope)).length;
  }

  async get(scope: string, id: string): Promise<ProjectRow | undefined> {
    return (
      await this.db
        .select()
        .from(projects)
        .where(and(eq(projects.scope, scope), eq(projects.id, id)))
        .limit(1)
    )[0];
  }

  async create(scope: string, name: string, document: ProjectDocument): Promise<ProjectRow> {
    const rows = await this.db
      .insert(projects)
      .values({
        id: `proj_${crypto.randomUUID().replaceAll("-", "")}`,
        scope,
        name,
        document,
        cueCount: document.cues.length,
      })
      .returning();
    return rows[0]!;
  }

  async update(
    scope: string,
    id: string,
    change: { name?: string; document?: ProjectDocument },
  ): Promise<ProjectRow | undefined> {
    const set: Partial<typeof projects.$inferInsert> = { updatedAt: new Date() };
    if (change.name !== undefined) set.name = change.name;
    if (change.document !== undefined) {
      set.document = change.document;
      set.cueCount = change.document.cues.length;
    }
    const rows = await this.db
      .update(projects)
      .set(set)
      .where(and(eq(projects.scope, scope), eq(projects.id, id)))
      .returning();
    return rows[0];
  }

  async delete(scope: string, id: string): Promise<boolean> {
    const rows = await this.db
      .delete(projects)
      .where(and(eq(projects.scope, scope), eq(projects.id, id)))
      .returning({ id: projects.id });
    return rows.length > 0;
  }
}
