/** The checksums the containers need, table-driven, MSB-first, no reflection. */

function table32(poly: number): Uint32Array {
  const t = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let r = i << 24;
    for (let b = 0; b < 8; b++) r = r & 0x80000000 ? (r << 1) ^ poly : r << 1;
    t[i] = r >>> 0;
  }
  return t;
}

function table16(poly: number): Uint16Array {
  const t = new Uint16Array(256);
  for (let i = 0; i < 256; i++) {
    let r = i << 8;
    for (let b = 0; b < 8; b++) r = r & 0x8000 ? (r << 1) ^ poly : r << 1;
    t[i] = r & 0xffff;
  }
  return t;
}

function table8(poly: number): Uint8Array {
  const t = new Uint8Array(256);
  for (let i = 0; i < 256; i++) {
    let r = i;
    for (let b = 0; b < 8; b++) r = r & 0x80 ? (r << 1) ^ poly : r << 1;
    t[i] = r & 0xff;
  }
  return t;
}

const OGG = table32(0x04c11db7);
const FLAC16 = table16(0x8005);
const FLAC8 = table8(0x07);

/** Ogg page checksum: polynomial 0x04C11DB7, initial 0, no final xor. */
export function crc32Ogg(data: Uint8Array, start = 0, end = data.length): number {
  let crc = 0;
  for (let i = start; i < end; i++) crc = ((crc << 8) ^ OGG[((crc >>> 24) ^ data[i]!) & 0xff]!) >>> 0;
  return crc >>> 0;
}

/** FLAC frame footer checksum: CRC-16, polynomial 0x8005, initial 0. */
export function crc16Flac(data: Uint8Array, start = 0, end = data.length): number {
  let crc = 0;
  for (let i = start; i < end; i++) crc = ((crc << 8) ^ FLAC16[((crc >>> 8) ^ data[i]!) & 0xff]!) & 0xffff;
  return crc;
}

/** FLAC frame header checksum: CRC-8, polynomial 0x07, initial 0. */
export function crc8Flac(data: Uint8Array, start = 0, end = data.length): number {
  let crc = 0;
  for (let i = start; i < end; i++) crc = FLAC8[crc ^ data[i]!]!;
  return crc;
}
