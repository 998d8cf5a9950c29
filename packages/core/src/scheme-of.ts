import { resolveVendor } from './resolve.js';
import { schemeOf as compiledSchemeOf, type CompiledScheme } from './scheme.js';
import type { VendorRef } from './types.js';

/**
 * The signing scheme of a vendor (a built-in id or a profile), every default filled in:
 * its `scheme`, or one derived from the original signing fields. What `verify`, `sign`,
 * `diagnose` and the mock sender read. Throws a setup `TypeError` for an unknown vendor
 * or an invalid scheme.
 */
export function schemeOf(vendor: VendorRef): CompiledScheme {
  return compiledSchemeOf(resolveVendor(vendor));
}
