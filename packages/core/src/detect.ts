import type { HeadersLike } from './headers.js';
import { hasHeader } from './headers.js';
import { schemeOf } from './scheme.js';
import type { VendorProfile } from './vendors/profile.js';
import { vendors, vendorIds, type VendorId } from './vendors/index.js';

/** Which built-in vendor sent this request, judged by which signature header is present. */
export function detectVendor(headers: HeadersLike): VendorId | undefined;
/** The same over your own list of profiles (e.g. built-ins plus a `defineVendor` one). */
export function detectVendor<P extends VendorProfile>(headers: HeadersLike, among: readonly P[]): P | undefined;
export function detectVendor(
  headers: HeadersLike,
  among?: readonly VendorProfile[],
): VendorId | VendorProfile | undefined {
  if (among !== undefined) return among.find((p) => carriesSignature(headers, p));
  return vendorIds.find((id) => carriesSignature(headers, vendors[id]));
}

/** Any of the scheme's signature header names (Standard Webhooks: webhook-signature or svix-signature). */
function carriesSignature(headers: HeadersLike, profile: VendorProfile): boolean {
  return schemeOf(profile).signatureKeys.some((key) => hasHeader(headers, key));
}
