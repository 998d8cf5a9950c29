import { cryptoPort } from './crypto-node.js';
import { encodeMac, type SignatureEncoding } from './encoding.js';
import { setupError } from './errors.js';
import { resolveVendor } from './resolve.js';
import { formatTimestamp } from './timestamp.js';
import type { VendorRef } from './types.js';

/** What `sign()` takes: the vendor, the exact body bytes and the secret. */
export interface SignInput {
  vendor: VendorRef;
  /** The exact bytes you will send. Sign once and send these bytes unchanged. */
  body: string | Uint8Array;
  secret: string;
  /** Unix seconds for vendors that sign a timestamp; default now. */
  timestamp?: number;
  /** Delivery id, for vendors with a delivery header (Autoposting). */
  id?: string;
  /** Override the profile's encoding, e.g. to test a receiver with base64 signatures. */
  encoding?: SignatureEncoding;
}

/**
 * The headers a vendor would send with `body`: signature, timestamp, event and
 * delivery headers as the profile defines them, plus `content-type`. For tests and
 * the mock sender; receivers use `verify`.
 */
export async function sign(input: SignInput): Promise<Record<string, string>> {
  const profile = resolveVendor(input.vendor);
  if (typeof input.secret !== 'string' || input.secret === '') {
    throw setupError('sign() needs `secret`: the signing secret as a non-empty string.');
  }
  if (typeof input.body !== 'string' && !(input.body instanceof Uint8Array)) {
    throw setupError('sign() needs `body` as the exact string or bytes you will send (serialise JSON once, then sign and send it).');
  }
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const parts: (string | Uint8Array)[] = [input.body];
  if (profile.signedContent === 'timestamp.body' && profile.timestampHeader !== undefined) {
    const ts = formatTimestamp(input.timestamp ?? Date.now() / 1000, profile.timestampFormat);
    headers[profile.timestampHeader.toLowerCase()] = ts;
    parts.unshift(`${ts}.`);
  }
  const mac = await cryptoPort.hmacSha256(input.secret, parts);
  headers[profile.signatureHeader.toLowerCase()] =
    profile.signaturePrefix + encodeMac(mac, input.encoding ?? profile.signatureEncoding);
  if (profile.eventHeader !== undefined) {
    const type = eventTypeOf(input.body, profile.typeFields);
    if (type !== undefined) headers[profile.eventHeader.toLowerCase()] = type;
  }
  if (profile.deliveryHeader !== undefined && input.id !== undefined) {
    headers[profile.deliveryHeader.toLowerCase()] = input.id;
  }
  return headers;
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
