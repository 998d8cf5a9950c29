import { cryptoPort } from './crypto-node.js';
import type { SignatureEncoding } from './encoding.js';
import { setupError } from './errors.js';
import { resolveVendor } from './resolve.js';
import { formatSignatureHeader, schemeOf, secretEncodingHint, secretKey, signedParts } from './scheme.js';
import { formatTimestamp } from './timestamp.js';
import type { VendorRef } from './types.js';

/** What `sign()` takes: the vendor, the exact body bytes and the secret. */
export interface SignInput {
  vendor: VendorRef;
  /** The exact bytes you will send. Sign once and send these bytes unchanged. */
  body: string | Uint8Array;
  /** The signing secret as the vendor shows it, or the raw key bytes. */
  secret: string | Uint8Array;
  /** Unix seconds for vendors that sign a timestamp; default now. */
  timestamp?: number;
  /** Delivery id: the delivery header (Autoposting), or the signed message id (Standard Webhooks; default a random `msg_…`). */
  id?: string;
  /** The event type for the event header, where the body does not name it (GitHub, Shopify). */
  type?: string;
  /** Override the profile's encoding, e.g. to test a receiver with base64 signatures. */
  encoding?: SignatureEncoding;
}

/**
 * The headers a vendor would send with `body`: signature, timestamp, id, event and
 * delivery headers as the profile's scheme defines them, plus `content-type`. For tests
 * and the mock sender; receivers use `verify`.
 */
export async function sign(input: SignInput): Promise<Record<string, string>> {
  const profile = resolveVendor(input.vendor);
  const scheme = schemeOf(profile);
  if (!((typeof input.secret === 'string' && input.secret !== '') || input.secret instanceof Uint8Array)) {
    throw setupError('sign() needs `secret`: the signing secret as a non-empty string (or the raw key bytes).');
  }
  const key = secretKey(input.secret, scheme.secretEncoding);
  if (key === undefined)
    throw setupError(`sign(): the secret does not decode: ${secretEncodingHint(scheme.secretEncoding)}.`);
  if (typeof input.body !== 'string' && !(input.body instanceof Uint8Array)) {
    throw setupError(
      'sign() needs `body` as the exact string or bytes you will send (serialise JSON once, then sign and send it).',
    );
  }
  const headers: Record<string, string> = { 'content-type': contentType(profile.bodyFormat, input.body) };
  let ts: string | undefined;
  if (scheme.timestamp !== undefined) {
    ts = formatTimestamp(input.timestamp ?? Date.now() / 1000, scheme.timestamp.format);
    if (scheme.timestamp.key === undefined) headers[scheme.timestamp.keys[0]!] = ts;
  }
  let id: string | undefined;
  if (scheme.id !== undefined) {
    id = input.id ?? `msg_${crypto.randomUUID().replace(/-/g, '')}`;
    headers[scheme.id.keys[0]!] = id;
  }
  const mac = await cryptoPort.hmac(scheme.algorithm, key, signedParts(scheme, input.body, { id, timestamp: ts }));
  headers[scheme.signatureKeys[0]!] = formatSignatureHeader(scheme, mac, ts, input.encoding);
  if (profile.eventHeader !== undefined) {
    const type = eventTypeOf(input.body, profile.typeFields) ?? input.type;
    if (type !== undefined) headers[profile.eventHeader.toLowerCase()] = type;
  }
  if (profile.deliveryHeader !== undefined && input.id !== undefined) {
    headers[profile.deliveryHeader.toLowerCase()] = input.id;
  }
  return headers;
}

function contentType(format: 'json' | 'json-or-form' | undefined, body: string | Uint8Array): string {
  if (format !== 'json-or-form') return 'application/json';
  const first = typeof body === 'string' ? body.trimStart().charAt(0) : String.fromCharCode(body[0] ?? 0x7b);
  return first === '{' || first === '[' ? 'application/json' : 'application/x-www-form-urlencoded';
}

function eventTypeOf(body: string | Uint8Array, fields: readonly string[]): string | undefined {
  try {
    const text = typeof body === 'string' ? body : new TextDecoder().decode(body);
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null) return undefined;
    for (const f of fields) {
      const v = (value as Record<string, unknown>)[f];
      if (typeof v === 'string') return v;
    }
  } catch {
    // Not JSON: the signature is still produced; there is just no event header.
  }
  return undefined;
}
