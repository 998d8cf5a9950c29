import { sign, vendors, type VendorId } from '@hookproof/core';
import { headerOf } from './record.js';

/**
 * The captured headers with a fresh signature (and, where the vendor signs one, a fresh
 * timestamp): what the vendor would send if it delivered these bytes now. The other
 * headers (event, delivery id, custom ones) are kept as captured.
 */
export async function resign(
  vendor: VendorId,
  headers: readonly (readonly [string, string])[],
  body: Uint8Array,
  secret: string,
  nowMs = Date.now(),
): Promise<[string, string][]> {
  const profile = vendors[vendor];
  const id = profile.deliveryHeader === undefined ? undefined : headerOf({ headers }, profile.deliveryHeader);
  const signed = await sign({ vendor, body, secret, timestamp: nowMs / 1000, ...(id === undefined ? {} : { id }) });
  const replaced = new Set(
    [profile.signatureHeader, profile.timestampHeader]
      .filter((n): n is string => n !== undefined)
      .map((n) => n.toLowerCase()),
  );
  const out: [string, string][] = headers.filter(([k]) => !replaced.has(k.toLowerCase())).map(([k, v]) => [k, v]);
  for (const name of [profile.timestampHeader, profile.signatureHeader]) {
    if (name === undefined) continue;
    const value = signed[name.toLowerCase()];
    if (value !== undefined) out.push([name, value]);
  }
  if (headerOf({ headers: out }, 'content-type') === undefined) out.push(['Content-Type', 'application/json']);
  return out;
}

/** The headers without the signature: what an unsigned (Autoposting, no secret) delivery carries. */
export function unsigned(vendor: VendorId, headers: readonly (readonly [string, string])[]): [string, string][] {
  const drop = new Set([vendors[vendor].signatureHeader.toLowerCase()]);
  return headers.filter(([k]) => !drop.has(k.toLowerCase())).map(([k, v]) => [k, v]);
}

/** Whether replaying these bytes later needs a new signature (the vendor signs a timestamp). */
export function signsTimestamp(vendor: VendorId): boolean {
  return vendors[vendor].signedContent === 'timestamp.body';
}
