import type { VendorProfile } from './profile.js';
import { autoposting, type AutopostingEvents } from './autoposting.js';
import { aidelly, type AidellyEvents } from './aidelly.js';
import { audenci, type AudenciEvents } from './audenci.js';
import { timbrix, type TimbrixEvents } from './timbrix.js';

/** Event maps of the built-in vendors, by id. */
export interface BuiltInEvents {
  autoposting: AutopostingEvents;
  aidelly: AidellyEvents;
  audenci: AudenciEvents;
  timbrix: TimbrixEvents;
}

/** The id of a built-in vendor. */
export type VendorId = keyof BuiltInEvents;

/** The type of `vendors`: each built-in profile typed with its own events. */
export type BuiltInProfiles = { readonly [K in VendorId]: VendorProfile<K, BuiltInEvents[K]> };

/** The built-in vendor profiles. Adding a vendor = one file in this folder + one line here. */
export const vendors: BuiltInProfiles = Object.freeze({ autoposting, aidelly, audenci, timbrix });

/** The built-in vendor ids, in a fixed order. */
export const vendorIds: readonly VendorId[] = Object.freeze(Object.keys(vendors) as VendorId[]);
