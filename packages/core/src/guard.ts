import { WebhookError, setupError } from './errors.js';
import { headerValues, singleHeader, type HeadersLike } from './headers.js';

/**
 * Checks on a delivery's transport that come before its signature: the sender's address
 * (an opt-in allowlist) and the body's content coding. Shared by the receiver (and so
 * `handleWebhook`) and the adapters' engine, so every entry point answers alike.
 */
export interface DeliveryOptions {
  /**
   * Give up reading a body that is still arriving after this many ms (408 `body_timeout`,
   * connection closed). Default 10 000: the vendors' own deadline (Aidelly documents 2xx
   * within 10 s; the others are assumed alike), so a body still arriving is not from a
   * working sender. `0` turns it off (Node's `server.requestTimeout` still applies).
   */
  bodyTimeoutMs?: number;
  /**
   * Opt-in allowlist of sender addresses or CIDR ranges (IPv4 and IPv6, e.g.
   * `['203.0.113.0/24', '2001:db8::/32']`); anything else is 403 `forbidden_ip` before
   * verification. Defence in depth only: none of the four vendors publishes its ranges.
   */
  allowIps?: readonly string[];
  /**
   * Which `X-Forwarded-For` entries to believe when checking `allowIps`; without it the
   * socket address alone counts and the header is ignored. A number trusts that many proxy
   * hops in front of the app; a list of addresses/CIDRs trusts exactly those proxies.
   */
  trustProxy?: number | readonly string[] | false;
}

/** A transport check; `undefined` lets the delivery go on to verification. */
export type DeliveryGuard = (request: {
  headers: HeadersLike | null | undefined;
  remoteAddress?: string | undefined;
}) => WebhookError | undefined;

export const DEFAULT_BODY_TIMEOUT_MS = 10_000;

/** Options only these checks read; stripped before the rest goes to the verifier. */
export const DELIVERY_OPTION_KEYS = ['bodyTimeoutMs', 'allowIps', 'trustProxy'] as const;

export function checkBodyTimeout(value: unknown): number {
  if (value === undefined) return DEFAULT_BODY_TIMEOUT_MS;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw setupError(`\`bodyTimeoutMs\` must be a non-negative number of ms (0 = no limit), got ${String(value)}.`);
  }
  return value;
}

/** An address as 16 bytes; IPv4 as IPv4-mapped IPv6 (`::ffff:a.b.c.d`), the form Node reports on dual-stack sockets. */
type Address = Uint8Array;

interface Range {
  readonly bytes: Address;
  readonly bits: number;
}

function parseIPv4(s: string, out: Uint8Array, at: number): boolean {
  let part = 0;
  let digits = 0;
  let value = 0;
  for (let i = 0; i <= s.length; i++) {
    const c = i === s.length ? 46 : s.charCodeAt(i);
    if (c === 46 /* . */) {
      if (digits === 0 || part > 3) return false;
      out[at + part++] = value;
      digits = 0;
      value = 0;
    } else if (c >= 48 && c <= 57) {
      // A leading zero would read as octal to some parsers: refuse the ambiguity.
      if (digits > 0 && value === 0) return false;
      value = value * 10 + (c - 48);
      if (++digits > 3 || value > 255) return false;
    } else {
      return false;
    }
  }
  return part === 4;
}

function parseGroups(s: string, out: number[]): boolean {
  if (s === '') return true;
  for (const group of s.split(':')) {
    if (group.length === 0 || group.length > 4) return false;
    let v = 0;
    for (let i = 0; i < group.length; i++) {
      const c = group.charCodeAt(i) | 0x20;
      const d = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : -1;
      if (d < 0) return false;
      v = v * 16 + d;
    }
    out.push(v);
  }
  return true;
}

/** Parses an IPv4 or IPv6 address (zone id dropped); `undefined` if it is neither. */
export function parseIp(input: string): Address | undefined {
  // Bounded before any work: the longest IPv6 text with an IPv4 tail and a zone fits in 64.
  if (input.length === 0 || input.length > 64) return undefined;
  const out = new Uint8Array(16);
  if (!input.includes(':')) {
    out[10] = 0xff;
    out[11] = 0xff;
    return parseIPv4(input, out, 12) ? out : undefined;
  }
  const zone = input.indexOf('%');
  let s = zone < 0 ? input : input.slice(0, zone);
  let tail: Uint8Array | undefined;
  const lastColon = s.lastIndexOf(':');
  if (s.indexOf('.', lastColon) > 0) {
    tail = new Uint8Array(4);
    if (!parseIPv4(s.slice(lastColon + 1), tail, 0)) return undefined;
    // The dotted tail stands for the last two groups.
    s = `${s.slice(0, lastColon + 1)}0:0`;
  }
  const gap = s.indexOf('::');
  if (gap >= 0 && s.indexOf('::', gap + 1) >= 0) return undefined;
  const head: number[] = [];
  const rest: number[] = [];
  if (gap < 0) {
    if (!parseGroups(s, head) || head.length !== 8) return undefined;
  } else {
    if (!parseGroups(s.slice(0, gap), head) || !parseGroups(s.slice(gap + 2), rest)) return undefined;
    if (head.length + rest.length > 7) return undefined;
  }
  const groups = [...head, ...new Array<number>(8 - head.length - rest.length).fill(0), ...rest];
  for (let i = 0; i < 8; i++) {
    out[2 * i] = groups[i]! >> 8;
    out[2 * i + 1] = groups[i]! & 0xff;
  }
  if (tail !== undefined) out.set(tail, 12);
  return out;
}

function parseRange(entry: unknown, option: string): Range {
  const fail = () =>
    setupError(
      `\`${option}\` entry ${JSON.stringify(entry)} is not an IP address or CIDR range (e.g. '203.0.113.7', '203.0.113.0/24', '2001:db8::/32').`,
    );
  if (typeof entry !== 'string') throw fail();
  const slash = entry.indexOf('/');
  const bytes = parseIp(slash < 0 ? entry.trim() : entry.slice(0, slash).trim());
  if (bytes === undefined) throw fail();
  const v4 = !entry.slice(0, slash < 0 ? undefined : slash).includes(':');
  const max = v4 ? 32 : 128;
  let bits = max;
  if (slash >= 0) {
    const text = entry.slice(slash + 1).trim();
    bits = /^\d{1,3}$/.test(text) ? Number(text) : -1;
    if (bits < 0 || bits > max) throw fail();
  }
  return { bytes, bits: v4 ? bits + 96 : bits };
}

function inRange(address: Address, range: Range): boolean {
  let bits = range.bits;
  for (let i = 0; i < 16 && bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if ((address[i]! & mask) !== (range.bytes[i]! & mask)) return false;
  }
  return true;
}

function inAny(address: string | undefined, ranges: readonly Range[]): boolean {
  const parsed = address === undefined ? undefined : parseIp(stripPort(address));
  return parsed !== undefined && ranges.some((r) => inRange(parsed, r));
}

/** `[v6]:port` and `v4:port`, as some proxies write X-Forwarded-For entries, to the bare address. */
function stripPort(entry: string): string {
  if (entry.startsWith('[')) {
    const end = entry.indexOf(']');
    return end < 0 ? entry : entry.slice(1, end);
  }
  const colon = entry.indexOf(':');
  return colon > 0 && colon === entry.lastIndexOf(':') ? entry.slice(0, colon) : entry;
}

/**
 * The sender's address: the socket's, or, with `trustProxy`, the nearest X-Forwarded-For
 * entry not written by a trusted proxy. The header is walked from the right (the entry
 * the nearest proxy appended) so a client cannot skip the check by prepending entries.
 */
function clientAddress(
  remote: string | undefined,
  headers: HeadersLike | null | undefined,
  trusted: (address: string | undefined, hop: number) => boolean,
): string | undefined {
  if (!trusted(remote, 0)) return remote;
  const xff = headerValues(headers, 'x-forwarded-for').join(',');
  let address = remote;
  let end = xff.length;
  let hop = 0;
  while (end > 0 && trusted(address, hop)) {
    const comma = xff.lastIndexOf(',', end - 1);
    const entry = xff.slice(comma + 1, end).trim();
    end = comma;
    if (entry === '') continue;
    address = entry;
    hop++;
  }
  return address;
}

/** Checks `allowIps` and `trustProxy` once (a `TypeError` names the fix) and returns the per-delivery check. */
export function createDeliveryGuard(options: DeliveryOptions): DeliveryGuard {
  const { allowIps, trustProxy } = options;
  let allowed: readonly Range[] | undefined;
  if (allowIps !== undefined) {
    if (!Array.isArray(allowIps))
      throw setupError("`allowIps` must be an array of addresses or CIDR ranges, e.g. ['203.0.113.0/24'].");
    if (allowIps.length === 0)
      throw setupError(
        "`allowIps` is empty, which would refuse every delivery: list the senders' ranges, or leave the option out.",
      );
    allowed = allowIps.map((entry) => parseRange(entry, 'allowIps'));
  }
  let trusted: (address: string | undefined, hop: number) => boolean = () => false;
  if ((trustProxy as unknown) === true) {
    // Trusting every hop means believing the left-most entry, which any client can write.
    throw setupError(
      '`trustProxy: true` would believe any X-Forwarded-For a client sends: pass the number of proxies in front of the app (e.g. 1) or their addresses.',
    );
  } else if (typeof trustProxy === 'number') {
    if (!Number.isInteger(trustProxy) || trustProxy < 0)
      throw setupError(
        `\`trustProxy\` must be a whole number of proxy hops or a list of proxy addresses, got ${String(trustProxy)}.`,
      );
    trusted = (_address, hop) => hop < trustProxy;
  } else if (Array.isArray(trustProxy)) {
    const proxies = trustProxy.map((entry) => parseRange(entry, 'trustProxy'));
    trusted = (address) => inAny(address, proxies);
  } else if (trustProxy !== undefined && trustProxy !== false) {
    throw setupError('`trustProxy` must be a number of proxy hops or a list of proxy addresses/CIDR ranges.');
  }

  return (request) => {
    const encoding = singleHeader(request.headers, 'content-encoding');
    if (encoding !== undefined && (typeof encoding !== 'string' || encoding.toLowerCase() !== 'identity')) {
      return new WebhookError(
        'unsupported_encoding',
        'Compressed request bodies are not accepted: the signature covers the bytes as sent.',
        {
          hint: 'None of the supported vendors documents compressed deliveries. If a proxy or client compresses requests, turn that off for the webhook route.',
        },
      );
    }
    if (allowed === undefined) return undefined;
    if (request.remoteAddress === undefined) {
      return new WebhookError('forbidden_ip', 'The sender address is not allowed.', {
        hint: '`allowIps` is set but no sender address was passed: the adapter (or your handleWebhook call, via { remoteAddress }) must supply it.',
      });
    }
    const client = clientAddress(request.remoteAddress, request.headers, trusted);
    if (inAny(client, allowed)) return undefined;
    return new WebhookError('forbidden_ip', 'The sender address is not allowed.', {
      hint: "Add the vendor's range to `allowIps`; behind a proxy, set `trustProxy` so the client address is read from X-Forwarded-For.",
    });
  };
}
