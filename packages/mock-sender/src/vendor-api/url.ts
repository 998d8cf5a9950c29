import { BlockList, isIP } from 'node:net';

/**
 * Addresses a vendor's servers cannot reach. Autoposting's API reference ("Create a
 * webhook endpoint") says the URL "Must be publicly accessible"; the other vendors are
 * silent, but none of them can deliver from the internet to these either, so the mock
 * refuses them for every vendor (assumed). Loopback stays allowed: it is where the
 * receiver under test listens.
 */
const notPublic = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8], // private (RFC 1918)
  ['100.64.0.0', 10], // carrier-grade NAT (RFC 6598)
  ['169.254.0.0', 16], // link-local, cloud metadata services
  ['172.16.0.0', 12], // private (RFC 1918)
  ['192.168.0.0', 16], // private (RFC 1918)
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const) {
  notPublic.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128], // unspecified
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
] as const) {
  notPublic.addSubnet(net, prefix, 'ipv6');
}

const loopback = new BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');

/** `[::1]` -> `::1`; other hostnames unchanged. */
const unbracket = (hostname: string): string =>
  hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;

function ipType(host: string): 'ipv4' | 'ipv6' | undefined {
  const v = isIP(host);
  return v === 4 ? 'ipv4' : v === 6 ? 'ipv6' : undefined;
}

/** Loopback: 127.0.0.0/8, ::1 (IPv4-mapped forms included) and `localhost` names. */
export function isLoopback(hostname: string): boolean {
  const host = unbracket(hostname).toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  const type = ipType(host);
  return type !== undefined && loopback.check(host, type);
}

export type UrlCheck = { readonly ok: true; readonly href: string } | { readonly ok: false; readonly message: string };

/**
 * A webhook URL the vendor could deliver to: HTTPS (Autoposting: "HTTPS URL"; Timbrix:
 * "must be valid HTTPS URL"; Aidelly's example is HTTPS) to a public address. Plain
 * http is allowed to loopback only, so local receivers can register. Host names are not
 * resolved: a name that resolves to a private address is accepted (the mock makes no
 * DNS lookups).
 */
export function checkWebhookUrl(value: unknown): UrlCheck {
  let url: URL;
  try {
    if (typeof value !== 'string') throw new TypeError('not a string');
    url = new URL(value);
  } catch {
    return { ok: false, message: '`url` must be an HTTPS URL.' };
  }
  const local = isLoopback(url.hostname);
  if (!(url.protocol === 'https:' || (url.protocol === 'http:' && local))) {
    return { ok: false, message: '`url` must be an HTTPS URL (plain http only to loopback, for local tests).' };
  }
  const host = unbracket(url.hostname);
  const type = ipType(host);
  if (!local && type !== undefined && notPublic.check(host, type)) {
    return {
      ok: false,
      message: `\`url\` must be publicly accessible: ${url.hostname} is a private, link-local or reserved address.`,
    };
  }
  return { ok: true, href: url.href };
}
