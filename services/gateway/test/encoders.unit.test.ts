// Encoder building blocks that need no external tool: checksums, headers,
// the Ogg page writer, format selection and errors.
import { describe, expect, test } from "bun:test";
import { AppError } from "@kokoro-edge/runtime";
import { BitWriter } from "../src/encoders/bitwriter";
import { crc16Flac, crc32Ogg, crc8Flac } from "../src/encoders/crc";
import {
  checkFormat,
  createEncoder,
  supportedFormats,
  UnsupportedFormatError,
  wavHeader,
} from "../src/encoders";
import { OggWriter } from "../src/encoders/ogg";

const ascii = (s: string) => new TextEncoder().encode(s);

describe("checksums", () => {
  // catalogued check values for "123456789"
  test("Ogg CRC-32 (poly 0x04C11DB7, init 0, no xor)", () => {
    expect(crc32Ogg(ascii("123456789"))).toBe(0x89a1897f);
  });
  test("FLAC CRC-8 (poly 0x07)", () => {
    expect(crc8Flac(ascii("123456789"))).toBe(0xf4);
  });
  test("FLAC CRC-16 (poly 0x8005)", () => {
    expect(crc16Flac(ascii("123456789"))).toBe(0xfee8);
  });
});

describe("BitWriter", () => {
  test("packs MSB first across byte boundaries, wide fields and unary codes", () => {
    const w = new BitWriter(1);
    w.write(0b101, 3);
    w.write(0b11110, 5);
    w.write(0xabcdef12, 32);
    w.write(2 ** 35 + 5, 36);
    w.unary(30);
    w.align();
    const hex = Buffer.from(w.bytes()).toString("hex");
    // 10111110 | abcdef12 | 800000005 (36 bits) | 30 zeros, a one, 5 bits of padding
    expect(hex).toBe("be" + "abcdef12" + "800000005" + "000000020");
  });
});

describe("wavHeader", () => {
  test("streaming header: unknown RIFF and data sizes", () => {
    const h = wavHeader(24000, 1, 16);
    const dv = new DataView(h.buffer);
    expect(h.length).toBe(44);
    expect(new TextDecoder().decode(h.subarray(0, 4))).toBe("RIFF");
    expect(dv.getUint32(4, true)).toBe(0xffffffff);
    expect(new TextDecoder().decode(h.subarray(8, 16))).toBe("WAVEfmt ");
    expect(dv.getUint16(20, true)).toBe(1);
    expect(dv.getUint16(22, true)).toBe(1);
    expect(dv.getUint32(24, true)).toBe(24000);
    expect(dv.getUint32(28, true)).toBe(48000);
    expect(dv.getUint16(32, true)).toBe(2);
    expect(dv.getUint16(34, true)).toBe(16);
    expect(new TextDecoder().decode(h.subarray(36, 40))).toBe("data");
    expect(dv.getUint32(40, true)).toBe(0xffffffff);
  });
  test("known length: real sizes", () => {
    const h = wavHeader(48000, 2, 24, 600);
    const dv = new DataView(h.buffer);
    expect(dv.getUint32(4, true)).toBe(636);
    expect(dv.getUint32(28, true)).toBe(48000 * 6);
    expect(dv.getUint16(32, true)).toBe(6);
    expect(dv.getUint32(40, true)).toBe(600);
  });
  test("rejects nonsense", () => {
    expect(() => wavHeader(0, 1, 16)).toThrow(RangeError);
    expect(() => wavHeader(24000, 1, 12)).toThrow(RangeError);
  });
});

/** Independent Ogg reader: pages, flags, and packets reassembled from lacing. */
function readOgg(bytes: Uint8Array) {
  const pages: { flags: number; granule: bigint; serial: number; seq: number; segments: number[] }[] = [];
  const packets: Uint8Array[] = [];
  let pending: number[] = [];
  let o = 0;
  while (o < bytes.length) {
    expect(new TextDecoder().decode(bytes.subarray(o, o + 4))).toBe("OggS");
    const dv = new DataView(bytes.buffer, bytes.byteOffset + o);
    const nseg = bytes[o + 26]!;
    const segments = [...bytes.subarray(o + 27, o + 27 + nseg)];
    let p = o + 27 + nseg;
    for (const s of segments) {
      for (let i = 0; i < s; i++) pending.push(bytes[p + i]!);
      p += s;
      if (s < 255) {
        packets.push(Uint8Array.from(pending));
        pending = [];
      }
    }
    pages.push({
      flags: bytes[o + 5]!,
      granule: dv.getBigInt64(6, true),
      serial: dv.getUint32(14, true),
      seq: dv.getUint32(18, true),
      segments,
    });
    o = p;
  }
  return { pages, packets, unfinished: pending.length };
}

describe("OggWriter", () => {
  test("packets of every size survive page splitting with continuation flags", () => {
    const w = new OggWriter(0x1234);
    const sizes = [0, 1, 254, 255, 256, 510, 255 * 255, 255 * 255 + 3, 200_000, 7];
    const pkts = sizes.map((n, i) => ({
      data: Uint8Array.from({ length: n }, (_, j) => (j * 7 + i) & 0xff),
      granule: BigInt((i + 1) * 960),
    }));
    const bytes = Buffer.concat([w.write(pkts.slice(0, 3)), w.write(pkts.slice(3), { eos: true })]);
    const { pages, packets, unfinished } = readOgg(bytes);
    expect(unfinished).toBe(0);
    expect(packets.map((p) => p.length)).toEqual(sizes);
    packets.forEach((p, i) => expect(Buffer.compare(p, pkts[i]!.data)).toBe(0));
    expect(pages.map((p) => p.seq)).toEqual(pages.map((_, i) => i));
    expect(new Set(pages.map((p) => p.serial))).toEqual(new Set([0x1234]));
    expect(pages.map((p) => p.flags & 2)).toEqual(pages.map((_, i) => (i === 0 ? 2 : 0)));
    expect(pages.map((p) => p.flags & 4)).toEqual(pages.map((_, i) => (i === pages.length - 1 ? 4 : 0)));
    // a page that only carries the middle of a packet has granule -1 and the next one is "continued"
    expect(pages.some((p) => p.granule === -1n)).toBe(true);
    pages.forEach((p, i) => {
      if (i > 0) expect(p.flags & 1).toBe(pages[i - 1]!.segments.at(-1) === 255 ? 1 : 0);
    });
    expect(pages.at(-1)!.granule).toBe(BigInt(sizes.length * 960));
    expect(() => w.write([])).toThrow();
  });
});

describe("createEncoder", () => {
  test("supported formats are all but aac", async () => {
    expect(supportedFormats()).toEqual(["mp3", "opus", "flac", "wav", "pcm"]);
    for (const f of supportedFormats()) {
      const e = await createEncoder(f, { sampleRate: 24000 });
      expect(e.format).toBe(f);
      expect(e.contentType).toMatch(/^audio\//);
    }
  });

  test("aac is a 400 unsupported_response_format naming the formats that work", async () => {
    let err: unknown;
    try {
      await createEncoder("aac", { sampleRate: 24000 });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UnsupportedFormatError);
    expect(err).toBeInstanceOf(AppError);
    const a = err as AppError;
    expect(a.status).toBe(400);
    expect(a.code).toBe("unsupported_response_format");
    expect(a.param).toBe("response_format");
    expect(a.message).toContain("aac");
    expect(a.message).toContain("mp3, opus, flac, wav, pcm");
  });

  test("unknown names are the same 400, never a crash", async () => {
    for (const f of ["ogg", "", "MP3", "__proto__", "constructor", "toString"]) {
      expect(() => checkFormat(f)).toThrow(UnsupportedFormatError);
      await expect(createEncoder(f, { sampleRate: 24000 })).rejects.toThrow(UnsupportedFormatError);
    }
  });

  test("sample rates a codec cannot take are refused", async () => {
    await expect(createEncoder("opus", { sampleRate: 22050 })).rejects.toThrow(RangeError);
    await expect(createEncoder("mp3", { sampleRate: 23000 })).rejects.toThrow(RangeError);
    await expect(createEncoder("mp3", { sampleRate: 24000, bitrate: 192_000 })).rejects.toThrow(RangeError);
  });

  test("push after end is an error, not silent corruption", async () => {
    for (const f of supportedFormats()) {
      const e = await createEncoder(f, { sampleRate: 24000 });
      e.start();
      e.push(new Int16Array(100));
      e.end();
      expect(() => e.push(new Int16Array(10))).toThrow();
    }
  });
});
