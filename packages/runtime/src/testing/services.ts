/**
 * Where the real services for tests are, and whether a test may skip when one
 * is down. In CI (CI=true) a test that needs NATS or Postgres fails instead.
 */
import { connect as netConnect } from "node:net";

export const TEST_NATS_URL = process.env.TEST_NATS_URL ?? "nats://127.0.0.1:4222";
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

function reachable(url: string, defaultPort: number): Promise<boolean> {
  const u = new URL(url);
  return new Promise((resolve) => {
    const sock = netConnect({ host: u.hostname, port: Number(u.port || defaultPort) });
    const done = (ok: boolean) => {
      sock.destroy();
      resolve(ok);
    };
    sock.setTimeout(1000, () => done(false));
    sock.once("connect", () => done(true));
    sock.once("error", () => done(false));
  });
}

async function need(name: string, url: string, port: number): Promise<boolean> {
  const ok = await reachable(url, port);
  if (!ok && process.env.CI) throw new Error(`${name} is required in CI but not reachable at ${url}`);
  if (!ok) console.warn(`[tests] ${name} not reachable at ${url}: skipping tests that need it`);
  return ok;
}

/** True when NATS is up; throws in CI when it is not. */
export const haveNats = () => need("NATS", TEST_NATS_URL, 4222);
/** True when Postgres is up; throws in CI when it is not. */
export const havePostgres = () => need("Postgres", TEST_DATABASE_URL, 5432);
