import { contracts, G2pChunk, g2pResultFromChunks, type G2pResult } from "@kokoro-edge/proto";
import {
  AppError,
  BusError,
  StreamFailed,
  StreamRejected,
  decodeJson,
  fromWireError,
  type Bus,
} from "@kokoro-edge/runtime";

/** Above this many characters the streamed form is used: its reply would not fit in one message. */
const STREAMED_ABOVE_CHARS = 8_000;

type G2pBody = {
  text: string;
  voice?: string;
  language?: string;
  pronunciations?: Record<string, string>;
  first_chunk_tokens?: number;
};

export async function phonemize(bus: Bus, body: G2pBody): Promise<G2pResult> {
  try {
    if (body.text.length > STREAMED_ABOVE_CHARS) return await phonemizeStreamed(bus, body);
    const reply = await bus.requestJson(
      contracts.g2p.phonemize,
      { v: 1, ...body },
      {
        timeoutMs: 30_000,
      },
    );
    if ("error" in reply) throw fromWireError(reply.error);
    return reply;
  } catch (err) {
    if (err instanceof BusError && err.code === "no_responders")
      throw new AppError(503, "no_g2p_worker", "the g2p service is not running; see /readyz");
    if (err instanceof BusError && err.code === "timeout")
      throw new AppError(504, "g2p_timeout", "the g2p service did not answer in time");
    if (err instanceof StreamRejected || err instanceof StreamFailed) throw fromWireError(err.error);
    throw err;
  }
}

/** Long texts: g2p streams one chunk per message. */
async function phonemizeStreamed(bus: Bus, body: G2pBody): Promise<G2pResult> {
  const reader = await bus.openStream(
    contracts.g2p.stream,
    { v: 1, ...body },
    { credit: 16, acceptTimeoutMs: 30_000 },
  );
  const { language, warnings } = reader.accept;
  const chunks: G2pChunk[] = [];
  for await (const m of reader) chunks.push(G2pChunk.parse(decodeJson(m.data)));
  return g2pResultFromChunks(language, chunks, warnings);
}
