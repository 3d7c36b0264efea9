import { expect, test } from "bun:test";
import { addressBytes, clientAddressFrom, inRanges, parseCidrs } from "../src/auth/client-address";

const trusted = parseCidrs("10.0.0.0/8, 192.168.1.7, fd00::/8");

test("addresses: IPv4, IPv6 (compressed, with an IPv4 tail), and not addresses", () => {
  expect(addressBytes("10.1.2.3")).toBeDefined();
  expect(addressBytes("::ffff:10.1.2.3")).toEqual(addressBytes("10.1.2.3"));
  expect(addressBytes("2001:db8::1")).toBeDefined();
  expect(addressBytes("[2001:db8::1]")).toEqual(addressBytes("2001:db8::1"));
  for (const bad of ["", "10.0.0.256", "1.2.3", "example.com", "2001:db8:::1", "1:2:3:4:5:6:7:8:9", "::g"])
    expect(addressBytes(bad)).toBeUndefined();
});

test("CIDR ranges, and a bad entry is an error naming it", () => {
  expect(inRanges("10.200.0.1", trusted)).toBe(true);
  expect(inRanges("::ffff:10.200.0.1", trusted)).toBe(true);
  expect(inRanges("11.0.0.1", trusted)).toBe(false);
  expect(inRanges("192.168.1.7", trusted)).toBe(true);
  expect(inRanges("192.168.1.8", trusted)).toBe(false);
  expect(inRanges("fd12::3", trusted)).toBe(true);
  expect(inRanges("fe80::1", trusted)).toBe(false);
  expect(() => parseCidrs("10.0.0.0/33")).toThrow(/10.0.0.0\/33/);
  expect(() => parseCidrs("proxy.local")).toThrow(/proxy.local/);
});

test("X-Forwarded-For is believed only from trusted peers, read from the right", () => {
  // behind the ingress (10.0.0.5): the client is the last untrusted hop
  expect(clientAddressFrom("10.0.0.5", "203.0.113.9", trusted)).toBe("203.0.113.9");
  expect(clientAddressFrom("10.0.0.5", "198.51.100.1, 203.0.113.9, 10.0.0.9", trusted)).toBe("203.0.113.9");
  // a client that writes its own header cannot pick its address
  expect(clientAddressFrom("203.0.113.9", "1.2.3.4", trusted)).toBe("203.0.113.9");
  // nothing trusted configured: the header is ignored
  expect(clientAddressFrom("10.0.0.5", "203.0.113.9", [])).toBe("10.0.0.5");
  // garbage in the header: the peer
  expect(clientAddressFrom("10.0.0.5", "not-an-ip", trusted)).toBe("10.0.0.5");
  // every hop trusted: the first one
  expect(clientAddressFrom("10.0.0.5", "10.1.1.1, 10.0.0.9", trusted)).toBe("10.1.1.1");
});
