/**
 * One platform for the gateway's API test files (bun runs them in one process
 * and shares this module): the whole stack in one process with the fixture
 * model, started once. Tests that need other settings (keys required, limits)
 * start extra gateways on the same bus and database, which is cheap.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLogger, loadConfig } from "@kokoro-edge/runtime";
import { fixtureStackEnv, sharedPaths } from "@kokoro-edge/runtime/src/testing/fixture-stack";
import { startStack, type Stack } from "../../stack";
import { configSchema, startGateway, type GatewayService } from "../src";

export const { voicesDir, kokoroConfig, lexiconDir } = sharedPaths();

let stack: Promise<Stack> | undefined;
/** The shared stack's DATA_DIR (its embedded database lives there). */
export const dataDir = mkdtempSync(join(tmpdir(), "ke-gw-api-"));

/** The shared stack (its own gateway runs in open mode without limits). */
export function sharedStack(): Promise<Stack> {
  stack ??= (async () => {
    const s = await startStack(
      fixtureStackEnv("gw-api", {
        DATA_DIR: dataDir,
        LOG_LEVEL: "error",
        RATE_LIMIT_RPM: "0",
        MAX_STREAMS_PER_KEY: "0",
      }),
    );
    await s.synthReady;
    return s;
  })();
  return stack;
}

/** Another gateway on the shared stack's bus and database, with these settings. */
export async function extraGateway(env: Record<string, string>): Promise<GatewayService> {
  const s = await sharedStack();
  const config = loadConfig(configSchema, { PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "error", ...env });
  return startGateway({ bus: s.bus, db: s.db, log: createLogger("gateway-test"), config });
}

export const json = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
