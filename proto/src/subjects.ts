/**
 * NATS subjects and queue groups. Versioned in the subject so that two contract
 * versions can run side by side during a rolling upgrade.
 */
export const subjects = {
  g2p: {
    /** request/reply: G2pRequest -> G2pReply */
    phonemize: "ke.v1.g2p.phonemize",
    /** stream: G2pRequest -> accept {v, language}, one G2pChunk per message, end (for texts too long for one reply) */
    stream: "ke.v1.g2p.stream",
    /** request/reply: Ping -> ServiceStatus */
    status: "ke.v1.g2p.status",
  },
  synth: {
    /** stream: SynthRequest -> SynthStart, audio and word messages, SynthEnd | error */
    stream: "ke.v1.synth.stream",
    /** request/reply: Ping -> ServiceStatus (every replica answers: scatter-gather) */
    status: "ke.v1.synth.status",
    /** request/reply: Ping -> SynthVoicesReply (queue group: one replica answers) */
    voices: "ke.v1.synth.voices",
  },
  mirror: {
    /** request/reply: MirrorLookupRequest -> MirrorLookupReply */
    lookup: "ke.v1.mirror.lookup",
    /** request/reply: MirrorCurrentRequest -> MirrorCurrentReply */
    current: "ke.v1.mirror.current",
    /** event: MirrorUpdated, published when a version is complete and verified */
    updated: "ke.v1.mirror.updated",
    /** request/reply: Ping -> ServiceStatus */
    status: "ke.v1.mirror.status",
  },
  keys: {
    /** event: KeyRevoked, published by whoever revokes a key (every gateway listens) */
    revoked: "ke.v1.keys.revoked",
  },
  jobs: {
    /** event: JobEvent, published on every progress change (every gateway listens, no queue group) */
    events: "ke.v1.jobs.events",
  },
} as const;

/** Queue groups: replicas of one service share the work on a subject. */
export const queues = {
  g2p: "g2p",
  synth: "synth",
  mirror: "mirror",
} as const;
