import { schemeOf, sign, type VendorProfile } from '@hookproof/core';
import { isoSeconds } from './clock.js';
import { isPlainObject } from './merge.js';
import type { MockEvent, SentRequest, SignatureFault } from './types.js';

export interface WireContext {
  readonly profile: VendorProfile;
  /** undefined = the vendor delivers unsigned (Autoposting without a secret). */
  readonly secret: string | undefined;
  readonly extraHeaders: Readonly<Record<string, string>>;
}

/** A secret no receiver is configured with, for the `wrong-secret` fault. */
export const WRONG_SECRET = 'whsec_hookproof_not_the_receivers_secret';
/** How far `stale-timestamp` backdates where the vendor has no replay window (1 hour). */
export const STALE_WITHOUT_WINDOW_SEC = 3600;

const encoder = new TextEncoder();

/** Header names as the vendor spells them (core's sign() returns lower case); the signing headers come from the profile's scheme. */
function canonicalNames(profile: VendorProfile): Map<string, string> {
  const scheme = schemeOf(profile);
  const names = [
    ...scheme.signatureNames,
    ...(scheme.timestamp?.names ?? []),
    ...(scheme.id?.names ?? []),
    profile.eventHeader,
    profile.deliveryHeader,
    'Content-Type',
  ];
  return new Map(names.filter((n): n is string => n !== undefined).map((n) => [n.toLowerCase(), n]));
}

/** The stale age for `stale-timestamp`: just past the replay window, or an hour where there is none. */
export function staleSeconds(profile: VendorProfile): number {
  return profile.toleranceSec === undefined ? STALE_WITHOUT_WINDOW_SEC : profile.toleranceSec + 60;
}

/** `,"tampered":true` added to a JSON object (still valid JSON, so only the MAC can catch it); else the last byte flipped. */
export function tamper(bytes: Uint8Array): Uint8Array {
  const text = new TextDecoder().decode(bytes);
  const end = text.lastIndexOf('}');
  if (end > 0 && text.trimStart().startsWith('{')) {
    const inner = text.slice(0, end).trimEnd();
    const sep = inner.endsWith('{') ? '' : ',';
    return encoder.encode(`${inner}${sep}"tampered":true${text.slice(end)}`);
  }
  const out = bytes.slice();
  if (out.length > 0) out[out.length - 1] = out[out.length - 1]! ^ 1;
  return out;
}

/** UTF-16LE with a byte-order mark: what some senders emit, and never valid UTF-8 (0xFF cannot occur in UTF-8). */
export function utf16le(text: string): Uint8Array {
  const out = new Uint8Array(2 + text.length * 2);
  out[0] = 0xff;
  out[1] = 0xfe;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    out[2 + i * 2] = c & 0xff;
    out[3 + i * 2] = c >> 8;
  }
  return out;
}

/** The body with the envelope's time field moved back; for vendors that sign no timestamp. */
function backdated(event: MockEvent, profile: VendorProfile, nowMs: number): Uint8Array {
  const field = profile.timeField;
  if (field === undefined || !isPlainObject(event.payload) || typeof event.payload[field] !== 'string')
    return event.bytes;
  const old = isoSeconds(nowMs - staleSeconds(profile) * 1000);
  return encoder.encode(JSON.stringify({ ...event.payload, [field]: old }));
}

/**
 * The request of one attempt: the event's bytes signed with core's `sign()` at the
 * sender's clock `nowMs`, then the fault applied. Without a fault the bytes sent are
 * exactly `event.bytes`, the bytes that were signed.
 */
export async function buildRequest(
  ctx: WireContext,
  url: string,
  event: MockEvent,
  nowMs: number,
  fault: SignatureFault | undefined,
): Promise<SentRequest> {
  const { profile } = ctx;
  let body = event.bytes;
  let timestampSec = nowMs / 1000;
  let secret = ctx.secret;
  if (fault === 'bad-encoding') body = utf16le(event.body);
  if (fault === 'wrong-secret') secret = WRONG_SECRET;
  if (fault === 'stale-timestamp') {
    if (schemeOf(profile).timestamp !== undefined) timestampSec -= staleSeconds(profile);
    else body = backdated(event, profile, nowMs);
  }
  const signed = await sign({
    vendor: profile,
    body,
    // Unsigned vendors still send their other headers: sign with a placeholder, then drop the signature.
    secret: secret ?? 'unsigned',
    timestamp: timestampSec,
    // Vendors that name the event in a header only (GitHub, Shopify recipes) get it from the event.
    type: event.type,
    ...(event.deliveryId === undefined ? {} : { id: event.deliveryId }),
  });
  if (secret === undefined || fault === 'no-signature') delete signed[schemeOf(profile).signatureKeys[0]!];
  if (fault === 'tamper-body') body = tamper(body);

  const names = canonicalNames(profile);
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(signed)) headers[names.get(k) ?? k] = v;
  for (const [k, v] of Object.entries(ctx.extraHeaders)) headers[k] = v;
  return { url, method: 'POST', headers, body, signedAt: nowMs };
}
