/**
 * Job tests share their database with earlier runs: a job an earlier run left
 * unfinished would be taken up first (oldest first) by this run's gateways and
 * hold up the jobs under test. On a fresh database there is no jobs table yet
 * (the gateway creates it when it starts), and so nothing to cancel.
 */
import postgres from "postgres";

export async function cancelUnfinishedJobs(databaseUrl: string): Promise<void> {
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  try {
    const [t] = await sql`select to_regclass('jobs') is not null as present`;
    if (t?.present)
      await sql`update jobs set status = 'cancelled', lease_owner = null, lease_expires_at = null where status in ('queued', 'running')`;
  } finally {
    await sql.end({ timeout: 1 });
  }
}
