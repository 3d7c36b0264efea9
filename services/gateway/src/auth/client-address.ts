/**
 * The client's address behind trusted proxies. Behind the ingress every
 * request comes from the proxy's address, so open-mode limits would count
 * all clients as one. With TRUSTED_PROXIES (CIDRs) set, X-Forwarded-For is
 * read from the right: hops inside a trusted range are skipped, and the first
 * address that is not trusted is the client. A header from an untrusted peer
 * is ignored (anyone can write one). Pure: no I/O.
 */

export interface Cidr {
  bytes: Uint8Array;
  bits: number;
}

/** An address as 16 bytes (IPv4 as IPv4-mapped IPv6), or undefined if it is not one. */
export function addressBytes(text: string): Uint8Array | undefined {
  let s = text.trim();
  if (s.startsWith("[") && s.includes("]")) s = s.slice(1, s.indexOf("]"));
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (v4) {
    const parts = v4.slice(1).map(Number);
    if (parts.some((p) => p > 255)) return undefined;
    return Uint8Array.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, ...parts]);
  }
  if (!s.includes(":") || /[^0-9a-fA-F:.]/.test(s)) return undefined;
  // IPv6, possibly with an IPv4 tail (::ffff:10.0.0.1)
  let tail: number[] = [];
  const lastColon = s.lastIndexOf(":");
  if (s.slice(lastColon + 1).includes(".")) {
    const t = addressBytes(s.slice(lastColon + 1));
    if (!t) return undefined;
    tail = [...t.slice(12)];
    s = `${s.slice(0, lastColon + 1)}0:0`;
  }
  const halves = s.split("::");
  if (halves.length > 2) return undefined;
  const parse = (h: string) => (h ? h.split(":") : []);
  const head = parse(halves[0]!);
  const rest = halves.length === 2 ? parse(halves[1]!) : [];
  const missing = 8 - head.length - rest.length;
  if ((halves.length === 1 && missing !== 0) || missing < 0) return undefined;
  const groups = [...head, ...Array(halves.length === 2 ? missing : 0).fill("0"), ...rest];
  const out = new Uint8Array(16);
  for (let i = 0; i < 8; i++) {
    const g = groups[i]!;
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
    const n = parseInt(g, 16);
    out[i * 2] = n >> 8;
    out[i * 2 + 1] = n & 0xff;
  }
  if (tail.length) out.set(tail, 12);
  return out;
}

/** "10.0.0.0/8, fd00::/8, 192.168.1.7": parsed ranges; throws naming the first bad one. */
export function parseCidrs(list: string): Cidr[] {
  return list
    .split(",")
    .map((x) => x.trim())
    .filter(Boolean)
    .map((entry) => {
      const [addr, len] = entry.split("/");
      const bytes = addressBytes(addr!);
      if (!bytes) throw new Error(`TRUSTED_PROXIES: '${entry}' is not an address or CIDR range`);
      const isV4 = !addr!.includes(":");
      const max = isV4 ? 32 : 128;
      const n = len === undefined ? max : Number(len);
      if (!Number.isInteger(n) || n < 0 || n > max)
        throw new Error(`TRUSTED_PROXIES: '${entry}' has a bad prefix length`);
      return { bytes, bits: isV4 ? n + 96 : n };
    });
}

export function inRanges(address: string, ranges: readonly Cidr[]): boolean {
  const a = addressBytes(address);
  if (!a) return false;
  return ranges.some(({ bytes, bits }) => {
    for (let i = 0; i < 16 && bits > i * 8; i++) {
      const take = Math.min(8, bits - i * 8);
      const mask = (0xff << (8 - take)) & 0xff;
      if ((a[i]! & mask) !== (bytes[i]! & mask)) return false;
    }
    return true;
  });
}

/** The client: `peer` itself unless it is a trusted proxy, then the first untrusted hop of X-Forwarded-For from the right. */
export function clientAddressFrom(
  peer: string,
  forwardedFor: string | undefined,
  trusted: readonly Cidr[],
): string {
  if (!trusted.length || !forwardedFor || !inRanges(peer, trusted)) return peer;
  const hops = forwardedFor
    .split(",")
    .map((h) => h.trim())
    .filter(Boolean);
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i]!;
    if (!addressBytes(hop)) return peer; // a garbled header: trust nothing in it
    if (!inRanges(hop, trusted)) return hop;
  }
  return hops[0] ?? peer;
}
