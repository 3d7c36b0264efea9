/**
 * /v1/projects: the studio's saved documents (cues, edits, voice map) in the
 * database, under the same API key rules as jobs: with keys required, each key
 * sees only its own projects; in open mode everyone shares the "open" scope.
 */
import { Hono } from "hono";
import { AppError } from "@kokoro-edge/runtime";
import type { GatewayDeps } from "../deps";
import type { GatewayEnv } from "../env";
import { CreateProjectRequest, UpdateProjectRequest, ProjectDocument } from "../projects/schema";
import { MAX_PROJECTS_PER_SCOPE, ProjectStore, type ProjectRow } from "../projects/store";
import { jobScope } from "../jobs/create";
import { readJson, validate } from "./read-json";

const summary = (r: Omit<ProjectRow, "document">) => ({
  id: r.id,
  object: "project" as const,
  name: r.name,
  cue_count: r.cueCount,
  created_at: r.createdAt.toISOString(),
  updated_at: r.updatedAt.toISOString(),
});
const full = (r: ProjectRow) => ({ ...summary(r), document: ProjectDocument.parse(r.document) });

export function projectsRoutes(deps: GatewayDeps) {
  const app = new Hono<GatewayEnv>();
  const store = () => {
    if (!deps.db)
      throw new AppError(
        503,
        "projects_unavailable",
        "projects need a database; this gateway runs without one",
      );
    return new ProjectStore(deps.db.db);
  };
  const notFound = (id: string) => new AppError(404, "project_not_found", `no project ${id}`);

  app.get("/v1/projects", async (c) => {
    const rows = await store().list(jobScope(c.get("caller")));
    return c.json({ object: "list", data: rows.map(summary) });
  });
  app.post("/v1/projects", async (c) => {
    const body = validate(CreateProjectRequest, await readJson(c));
    const s = store();
    const scope = jobScope(c.get("caller"));
    if ((await s.count(scope)) >= MAX_PROJECTS_PER_SCOPE)
      throw new AppError(
        409,
        "too_many_projects",
        `at most ${MAX_PROJECTS_PER_SCOPE} projects are kept; delete one first`,
      );
    const row = await s.create(scope, body.name, body.document);
    c.header("location", `/v1/projects/${row.id}`);
    return c.json(full(row), 201);
  });
  app.get("/v1/projects/:id", async (c) => {
    const row = await store().get(jobScope(c.get("caller")), c.req.param("id"));
    if (!row) throw notFound(c.req.param("id"));
    return c.json(full(row));
  });
  app.patch("/v1/projects/:id", async (c) => {
    const body = validate(UpdateProjectRequest, await readJson(c));
    const row = await store().update(jobScope(c.get("caller")), c.req.param("id"), body);
    if (!row) throw notFound(c.req.param("id"));
    return c.json(full(row));
  });
  app.delete("/v1/projects/:id", async (c) => {
    const gone = await store().delete(jobScope(c.get("caller")), c.req.param("id"));
    if (!gone) throw notFound(c.req.param("id"));
    return c.json({ id: c.req.param("id"), object: "project", deleted: true });
  });
  return app;
}
