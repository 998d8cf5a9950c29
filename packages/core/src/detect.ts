import type { HeadersLike } from './headers.js';
import { hasHeader } from './headers.js';
import type { VendorProfile } from './vendors/profile.js';
import { vendors, vendorIds, type VendorId } from './vendors/index.js';

/** Which built-in vendor sent this request, judged by which signature header is present. */
export function detectVendor(headers: HeadersLike): VendorId | undefined;
/** The same over your own list of profiles (e.g. built-ins plus a `defineVendor` one). */
export function detectVendor<P extends VendorProfile>(headers: HeadersLike, among: readonly P[]): P | undefined;
export function detectVendor(headers: HeadersLike, among?: readonly VendorProfile[]): VendorId | VendorProfile | undefined {
  if (among !== undefined) return among.find((p) => hasHeader(headers, p.signatureHeader));
  return vendorIds.find((id) => hasHeader(headers, vendors[id].signatureHeader));
}
