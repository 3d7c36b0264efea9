/**
 * A shared, bounded key-value store of binary values: a JetStream key-value
 * bucket when the bus is NATS, nothing on the in-process bus (one process
 * needs no shared tier). Values expire after `ttlMs`; when the bucket is full
 * the oldest values go first (the bucket's stream discards old messages, where
 * a plain KV bucket refuses new ones), so it behaves as a cache.
 */
import { jetstreamManager, DiscardPolicy } from "@nats-io/jetstream";
import { Kvm, type KV } from "@nats-io/kv";
import { nanos } from "@nats-io/nats-core";
import type { Bus } from "./bus";
import { NatsTransport } from "./nats";

export interface BlobStore {
  /** undefined: no value under that key. */
  get(key: string): Promise<Uint8Array | undefined>;
  put(key: string, value: Uint8Array): Promise<void>;
  /** The largest value the server accepts in one message (a larger one is not stored). */
  readonly maxValueBytes: number;
  readonly describe: string;
}

export interface BlobStoreOptions {
  bucket: string;
  maxBytes: number;
  ttlMs: number;
}

/** Room left in a message for the headers JetStream adds to a stored value. */
const HEADER_ROOM = 4096;

/** Opens (creating or resizing) the bucket; undefined on the in-process bus. */
export async function openBlobStore(bus: Bus, opts: BlobStoreOptions): Promise<BlobStore | undefined> {
  if (!(bus.transport instanceof NatsTransport)) return undefined;
  const nc = bus.transport.connection;
  const kv: KV = await new Kvm(nc).create(opts.bucket, {
    history: 1,
    max_bytes: opts.maxBytes,
    ttl: opts.ttlMs,
  });
  // As a cache: full means forget the oldest, not refuse the newest. Sizes follow the configuration.
  const jsm = await jetstreamManager(nc);
  const name = `KV_${opts.bucket}`;
  const info = await jsm.streams.info(name);
  const want = { discard: DiscardPolicy.Old, max_bytes: opts.maxBytes, max_age: nanos(opts.ttlMs) };
  if (
    info.config.discard !== want.discard ||
    info.config.max_bytes !== want.max_bytes ||
    info.config.max_age !== want.max_age
  )
    await jsm.streams.update(name, { ...info.config, ...want });
  const maxValueBytes = Math.max(0, (nc.info?.max_payload ?? 1024 * 1024) - HEADER_ROOM);
  return {
    maxValueBytes,
    describe: `JetStream key-value bucket ${opts.bucket} (${Math.round(opts.maxBytes / 2 ** 20)} MiB, ${Math.round(opts.ttlMs / 3_600_000)} h)`,
    async get(key) {
      const e = await kv.get(key);
      return e && e.operation === "PUT" && e.value.length ? e.value : undefined;
    },
    async put(key, value) {
      if (value.byteLength > maxValueBytes)
        throw new Error(`value of ${value.byteLength} bytes is too large`);
      await kv.put(key, value);
    },
  };
}
