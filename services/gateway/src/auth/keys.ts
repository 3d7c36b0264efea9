/**
 * API keys in the `api_keys` table. A key is `ke_` + 32 random bytes
 * (base64url); only its sha256 is stored, with a short prefix to tell keys
 * apart. The key itself is shown once, when it is created.
 */
import { createHash, randomBytes } from "node:crypto";
import { desc, eq, isNull, like, or } from "drizzle-orm";
import { AppError, tables, type Db } from "@kokoro-edge/runtime";

export const KEY_PREFIX = "ke_";
/** Characters of the key kept for display (`ke_` + 8). */
const DISPLAY_CHARS = KEY_PREFIX.length + 8;

export interface ApiKeyInfo {
  id: string;
  name: string;
  prefix: string;
  created_at: string;
  revoked_at: string | null;
  rate_limit_per_minute: number | null;
  max_streams: number | null;
}

/** What the auth layer needs to know about a live key. */
export interface KeyIdentity {
  id: string;
  name: string;
  rateLimitPerMinute: number | null;
  maxStreams: number | null;
}

export function hashKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

export function generateKey(): string {
  return KEY_PREFIX + randomBytes(32).toString("base64url");
}

type Row = typeof tables.apiKeys.$inferSelect;

function info(r: Row): ApiKeyInfo {
  return {
    id: r.id,
    name: r.name,
    prefix: r.keyPrefix,
    created_at: r.createdAt.toISOString(),
    revoked_at: r.revokedAt ? r.revokedAt.toISOString() : null,
    rate_limit_per_minute: r.rateLimitPerMinute,
    max_streams: r.maxStreams,
  };
}

export interface CreateKeyOptions {
  name: string;
  rateLimitPerMinute?: number | null;
  maxStreams?: number | null;
}

/** A new key; `key` is the secret, returned only here. */
export async function createKey(db: Db, opts: CreateKeyOptions): Promise<ApiKeyInfo & { key: string }> {
  const key = generateKey();
  const [row] = await db
    .insert(tables.apiKeys)
    .values({
      name: opts.name,
      keyPrefix: key.slice(0, DISPLAY_CHARS),
      keyHash: hashKey(key),
      rateLimitPerMinute: opts.rateLimitPerMinute ?? null,
      maxStreams: opts.maxStreams ?? null,
    })
    .returning();
  return { ...info(row!), key };
}

export async function listKeys(db: Db, opts: { includeRevoked?: boolean } = {}): Promise<ApiKeyInfo[]> {
  const q = db.select().from(tables.apiKeys);
  const rows = await (opts.includeRevoked ? q : q.where(isNull(tables.apiKeys.revokedAt))).orderBy(
    desc(tables.apiKeys.createdAt),
  );
  return rows.map(info);
}

/**
 * Revoke by id or by the displayed prefix (which must match one key).
 * Revoking an already revoked key is not an error; it keeps its first date.
 */
export async function revokeKey(db: Db, idOrPrefix: string): Promise<ApiKeyInfo> {
  const ref = idOrPrefix.trim();
  if (!ref) throw new AppError(400, "invalid_key_ref", "give the id or the prefix of the key to revoke");
  // ids and prefixes are printable ASCII: anything else names no key (and Postgres would refuse a NUL)
  if (ref.length > 200 || !/^[\x21-\x7e]+$/.test(ref))
    throw new AppError(
      404,
      "key_not_found",
      `no API key has the id or prefix ${JSON.stringify(ref.slice(0, 80))}`,
    );
  const rows = await db
    .select()
    .from(tables.apiKeys)
    .where(
      or(
        eq(tables.apiKeys.id, ref),
        ref.startsWith(KEY_PREFIX)
          ? like(tables.apiKeys.keyPrefix, `${ref.replace(/[%_\\]/g, "\\$&")}%`)
          : undefined,
      ),
    );
  if (rows.length === 0) throw new AppError(404, "key_not_found", `no API key has the id or prefix '${ref}'`);
  if (rows.length > 1)
    throw new AppError(409, "ambiguous_key_ref", `'${ref}' matches ${rows.length} keys; use the id`);
  const row = rows[0]!;
  if (row.revokedAt) return info(row);
  const [updated] = await db
    .update(tables.apiKeys)
    .set({ revokedAt: new Date() })
    .where(eq(tables.apiKeys.id, row.id))
    .returning();
  return info(updated!);
}

/** The live key with this secret, or undefined (unknown or revoked). */
export async function findKey(db: Db, key: string): Promise<KeyIdentity | undefined> {
  const [row] = await db
    .select()
    .from(tables.apiKeys)
    .where(eq(tables.apiKeys.keyHash, hashKey(key)))
    .limit(1);
  if (!row || row.revokedAt) return undefined;
  return {
    id: row.id,
    name: row.name,
    rateLimitPerMinute: row.rateLimitPerMinute,
    maxStreams: row.maxStreams,
  };
}
