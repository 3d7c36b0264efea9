import { crc32Ogg } from "./crc";
import { concatBytes } from "./types";

export interface OggPacket {
  data: Uint8Array;
  /** granule position at the end of this packet (codec-defined units) */
  granule: bigint;
}

const NO_GRANULE = -1n;

/**
 * An Ogg bitstream writer for one logical stream: pages with continuous
 * sequence numbers, one serial, BOS on the first page, EOS on the last,
 * packets split across pages with the continuation flag when needed.
 */
export class OggWriter {
  private seq = 0;
  private ended = false;

  constructor(readonly serial: number) {}

  /**
   * Pages carrying `packets`, in order. With `eos` the last page is flagged
   * end-of-stream (an empty EOS page with `eosGranule` is written when there is
   * no packet). A page's granule is that of the last packet finishing on it,
   * or -1 when none does.
   */
  write(packets: readonly OggPacket[], opts: { eos?: boolean; eosGranule?: bigint } = {}): Uint8Array {
    if (this.ended) throw new Error("ogg: write after end of stream");
    const pages: Uint8Array[] = [];
    let lacing: number[] = [];
    let body: Uint8Array[] = [];
    let granule = NO_GRANULE;
    let continued = false; // current page starts with the rest of a packet

    const flush = (eos: boolean, nextContinued: boolean) => {
      pages.push(this.page(lacing, body, granule, continued, eos));
      lacing = [];
      body = [];
      granule = NO_GRANULE;
      continued = nextContinued;
    };

    for (const p of packets) {
      const len = p.data.length;
      const segments = Math.floor(len / 255) + 1; // last one < 255 (may be 0)
      let sent = 0; // segments already placed
      while (sent < segments) {
        if (lacing.length === 255) flush(false, sent > 0);
        const take = Math.min(255 - lacing.length, segments - sent);
        for (let s = 0; s < take; s++) lacing.push(sent + s === segments - 1 ? len % 255 : 255);
        const from = sent * 255;
        const to = Math.min(len, (sent + take) * 255);
        if (to > from) body.push(p.data.subarray(from, to));
        sent += take;
      }
      granule = p.granule;
    }
    if (lacing.length > 0) flush(!!opts.eos, false);
    else if (opts.eos) {
      // a packet-less end: mark the stream's end on an empty page
      granule = opts.eosGranule ?? NO_GRANULE;
      flush(true, false);
    }
    if (opts.eos) this.ended = true;
    return concatBytes(pages);
  }

  private page(
    lacing: number[],
    body: Uint8Array[],
    granule: bigint,
    continued: boolean,
    eos: boolean,
  ): Uint8Array {
    let bodyLen = 0;
    for (const b of body) bodyLen += b.length;
    const headerLen = 27 + lacing.length;
    const out = new Uint8Array(headerLen + bodyLen);
    const dv = new DataView(out.buffer);
    out.set([0x4f, 0x67, 0x67, 0x53], 0); // "OggS"
    out[4] = 0; // version
    out[5] = (continued ? 1 : 0) | (this.seq === 0 ? 2 : 0) | (eos ? 4 : 0);
    dv.setBigInt64(6, granule, true);
    dv.setUint32(14, this.serial >>> 0, true);
    dv.setUint32(18, this.seq++, true);
    // checksum at 22..25 stays 0 while computing
    out[26] = lacing.length;
    out.set(lacing, 27);
    let o = headerLen;
    for (const b of body) {
      out.set(b, o);
      o += b.length;
    }
    dv.setUint32(22, crc32Ogg(out), true);
    return out;
  }
}
