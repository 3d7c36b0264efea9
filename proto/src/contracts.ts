/**
 * Each bus subject bound to the schemas that travel on it, in one object.
 *
 * A service never names a subject and a schema separately: `bus.requestJson(contracts.g2p.phonemize,
 * body)` takes the request type and returns the reply type of that subject, and
 * `bus.serveJson(contracts.g2p.phonemize, handler)` validates the request and types the handler. A
 * subject whose request and reply schemas disagreed between two services would not compile.
 *
 * Three shapes:
 * - request/reply: `{ subject, request, reply }`;
 * - stream (a credit-based bus stream, see the runtime's stream.ts): `{ subject, open, accept, end }`,
 *   plus the per-message schemas of that stream in its own module (g2p chunks; synth audio and words);
 * - event (publish, every listener hears it): `{ subject, event }`.
 */
import type { z } from "zod";
import { Ping, ServiceStatus } from "./common";
import { G2pChunk, G2pReply, G2pRequest, G2pStreamAccept, G2pStreamEnd } from "./g2p";
import { JobEvent } from "./jobs";
import { KeyRevoked } from "./keys";
import {
  MirrorCurrentReply,
  MirrorCurrentRequest,
  MirrorLookupReply,
  MirrorLookupRequest,
  MirrorUpdated,
} from "./mirror";
import { queues, subjects } from "./subjects";
import { SynthEnd, SynthRequest, SynthStart, SynthVoicesReply } from "./synth";

export interface RequestContract<Req extends z.ZodTypeAny, Rep extends z.ZodTypeAny> {
  readonly kind: "request";
  readonly subject: string;
  readonly request: Req;
  readonly reply: Rep;
}

export interface StreamContract<
  Open extends z.ZodTypeAny,
  Accept extends z.ZodTypeAny,
  Message extends z.ZodTypeAny | undefined,
  End extends z.ZodTypeAny,
> {
  readonly kind: "stream";
  readonly subject: string;
  /** The queue group the serving replicas share. */
  readonly queue: string;
  readonly open: Open;
  readonly accept: Accept;
  /** The JSON body of each message, for streams whose messages are all JSON of one kind. */
  readonly message: Message;
  readonly end: End;
}

export interface EventContract<E extends z.ZodTypeAny> {
  readonly kind: "event";
  readonly subject: string;
  readonly event: E;
}

const request = <Req extends z.ZodTypeAny, Rep extends z.ZodTypeAny>(
  subject: string,
  req: Req,
  reply: Rep,
): RequestContract<Req, Rep> => ({ kind: "request", subject, request: req, reply });

const event = <E extends z.ZodTypeAny>(subject: string, schema: E): EventContract<E> => ({
  kind: "event",
  subject,
  event: schema,
});

export const contracts = {
  g2p: {
    phonemize: request(subjects.g2p.phonemize, G2pRequest, G2pReply),
    status: request(subjects.g2p.status, Ping, ServiceStatus),
    stream: {
      kind: "stream",
      subject: subjects.g2p.stream,
      queue: queues.g2p,
      open: G2pRequest,
      accept: G2pStreamAccept,
      message: G2pChunk,
      end: G2pStreamEnd,
    } satisfies StreamContract<
      typeof G2pRequest,
      typeof G2pStreamAccept,
      typeof G2pChunk,
      typeof G2pStreamEnd
    >,
  },
  synth: {
    /** Messages: audio (binary PCM, headers from `audioMessageHeaders`) and words (SynthWords); see synth.ts. */
    stream: {
      kind: "stream",
      subject: subjects.synth.stream,
      queue: queues.synth,
      open: SynthRequest,
      accept: SynthStart,
      message: undefined,
      end: SynthEnd,
    } satisfies StreamContract<typeof SynthRequest, typeof SynthStart, undefined, typeof SynthEnd>,
    status: request(subjects.synth.status, Ping, ServiceStatus),
    voices: request(subjects.synth.voices, Ping, SynthVoicesReply),
  },
  mirror: {
    lookup: request(subjects.mirror.lookup, MirrorLookupRequest, MirrorLookupReply),
    current: request(subjects.mirror.current, MirrorCurrentRequest, MirrorCurrentReply),
    status: request(subjects.mirror.status, Ping, ServiceStatus),
    updated: event(subjects.mirror.updated, MirrorUpdated),
  },
  keys: {
    revoked: event(subjects.keys.revoked, KeyRevoked),
  },
  jobs: {
    events: event(subjects.jobs.events, JobEvent),
  },
} as const;
