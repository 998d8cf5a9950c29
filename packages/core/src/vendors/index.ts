import type { EventMap, VendorProfile } from './profile.js';
import { autoposting } from './autoposting/index.js';
import { aidelly } from './aidelly/index.js';
import { audenci } from './audenci/index.js';
import { timbrix } from './timbrix/index.js';
import { standardWebhooks } from './standard-webhooks/index.js';

/**
 * The registry: every built-in vendor, by id. Adding a vendor = its folder plus one line
 * here; the ids, the event maps and everything that lists vendors derive from this object.
 */
const registry = { autoposting, aidelly, audenci, timbrix, 'standard-webhooks': standardWebhooks };

type Registry = typeof registry;

/** Event maps of the built-in vendors, by id. */
export type BuiltInEvents = {
  [K in keyof Registry]: Registry[K] extends VendorProfile<string, infer E> ? E : EventMap;
};

/** The id of a built-in vendor. */
export type VendorId = keyof BuiltInEvents;

/** The type of `vendors`: each built-in profile typed with its own events. */
export type BuiltInProfiles = { readonly [K in VendorId]: VendorProfile<K, BuiltInEvents[K]> };

/** The built-in vendor profiles. */
export const vendors: BuiltInProfiles = Object.freeze(registry);

/** The built-in vendor ids, in a fixed order. */
export const vendorIds: readonly VendorId[] = Object.freeze(Object.keys(vendors) as VendorId[]);
