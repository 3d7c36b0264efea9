/**
 * API keys from the command line, on the database the gateway uses
 * (DATABASE_URL, or the embedded one under DATA_DIR: stop the one-process
 * server first, or use the /admin/keys routes while it runs).
 *
 *   bun services/gateway/src/cli/keys.ts create --name NAME [--rpm N] [--max-streams N]
 *   bun services/gateway/src/cli/keys.ts list [--all] [--json]
 *   bun services/gateway/src/cli/keys.ts revoke <id|prefix>
 */
import { parseArgs } from "node:util";
import { AppError, Bus, NatsTransport, commonConfig, loadConfig, openDatabase } from "@kokoro-edge/runtime";
import { publishRevocation } from "../routes/admin";
import { createKey, listKeys, revokeKey, type ApiKeyInfo } from "../auth/keys";

const USAGE = `usage:
  keys create --name NAME [--rpm N] [--max-streams N]   create a key; the secret is printed once
  keys list [--all] [--json]                            live keys (--all: revoked too)
  keys revoke <id|prefix>                               revoke a key
Database: DATABASE_URL, or the embedded database under DATA_DIR (default ./data).`;

function int(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0)
    throw new AppError(
      400,
      "bad_argument",
      `--${name} must be a whole number >= 0 (0 = unlimited), got '${v}'`,
    );
  return n;
}

function row(k: ApiKeyInfo): string {
  const limits = `rpm=${k.rate_limit_per_minute ?? "default"} streams=${k.max_streams ?? "default"}`;
  return [
    k.id,
    k.prefix.padEnd(12),
    k.name,
    k.created_at,
    k.revoked_at ? `revoked ${k.revoked_at}` : "live",
    limits,
  ].join("  ");
}

export async function runKeysCli(
  argv: string[],
  env: Record<string, string | undefined> = process.env,
  out: (s: string) => void = console.log,
): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      name: { type: "string" },
      rpm: { type: "string" },
      "max-streams": { type: "string" },
      all: { type: "boolean" },
      json: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
  const [cmd, ...rest] = positionals;
  if (values.help || !cmd) {
    out(USAGE);
    return cmd || values.help ? 0 : 2;
  }
  if (!["create", "list", "revoke"].includes(cmd))
    throw new AppError(400, "bad_command", `unknown command '${cmd}'\n${USAGE}`);
  if (cmd === "create" && !values.name?.trim())
    throw new AppError(400, "bad_argument", "create needs --name NAME (who or what the key is for)");
  if (cmd === "revoke" && !rest[0])
    throw new AppError(400, "bad_argument", "revoke needs the key's id or prefix (see 'keys list')");
  const rpm = int("rpm", values.rpm);
  const maxStreams = int("max-streams", values["max-streams"]);

  const config = loadConfig(commonConfig, env);
  const db = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR });
  try {
    if (cmd === "create") {
      const k = await createKey(db.db, { name: values.name!.trim(), rateLimitPerMinute: rpm, maxStreams });
      if (values.json) out(JSON.stringify(k));
      else
        out(
          `created key ${k.id} (${k.name})\n\n  ${k.key}\n\nThis is the only time the key is shown: store it now. Clients send it as 'Authorization: Bearer <key>'.`,
        );
    } else if (cmd === "list") {
      const keys = await listKeys(db.db, { includeRevoked: values.all });
      if (values.json) out(JSON.stringify(keys));
      else out(keys.length ? keys.map(row).join("\n") : "no API keys");
    } else {
      const k = await revokeKey(db.db, rest[0]!);
      if (config.NATS_URL) await announceRevocation(config.NATS_URL, k.id); // gateways forget it now, not in 5 s
      out(values.json ? JSON.stringify(k) : `revoked: ${row(k)}`);
    }
  } finally {
    await db.close();
  }
  return 0;
}

if (import.meta.main) {
  try {
    process.exitCode = await runKeysCli(process.argv.slice(2));
  } catch (err) {
    console.error(`keys: ${(err as Error).message}`);
    process.exitCode = err instanceof AppError ? 2 : 1;
  }
}

/** Tell every gateway on the bus that a key was revoked; a bus that cannot be reached is said, not fatal. */
async function announceRevocation(natsUrl: string, id: string) {
  try {
    const bus = new Bus(await NatsTransport.connect(natsUrl, "keys-cli"));
    publishRevocation(bus, id);
    await bus.flush();
    await bus.close();
  } catch (err) {
    console.error(
      `revoked in the database; gateways were not told over NATS (${(err as Error).message}): they stop accepting it within 5 s`,
    );
  }
}
