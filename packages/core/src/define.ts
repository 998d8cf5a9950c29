import { setupError } from './errors.js';
import type { EventMap, ProfileField, Provenance, VendorProfile } from './vendors/profile.js';

const REQUIRED: readonly ProfileField[] = ['signatureHeader', 'signedContent', 'typeFields', 'events', 'retry', 'timeoutMs'];

/**
 * Your own vendor, or a built-in one with an assumption overridden:
 * `defineVendor({ ...vendors.timbrix, typeFields: ['kind'] })`. Accepted wherever a
 * `VendorId` is. Fields without a provenance note are marked assumed by you.
 */
export function defineVendor<Events extends EventMap = EventMap, Id extends string = string>(
  profile: Omit<VendorProfile<Id, Events>, 'provenance' | '__events'> & {
    readonly provenance?: Partial<Record<ProfileField, Provenance>>;
  },
): VendorProfile<Id, Events> {
  if (typeof profile !== 'object' || profile === null) throw setupError('defineVendor() takes a profile object.');
  if (typeof profile.id !== 'string' || profile.id === '') throw setupError('defineVendor(): `id` must be a non-empty string.');
  for (const field of REQUIRED) {
    if (profile[field] === undefined) {
      throw setupError(`defineVendor(${JSON.stringify(profile.id)}): \`${field}\` is required (copy it from a built-in profile: { ...vendors.aidelly, ... }).`);
    }
  }
  if (profile.signedContent === 'timestamp.body' && profile.timestampHeader === undefined) {
    throw setupError(`defineVendor(${JSON.stringify(profile.id)}): signedContent 'timestamp.body' needs \`timestampHeader\`.`);
  }
  const provenance = {} as Record<ProfileField, Provenance>;
  for (const key of Object.keys(profile) as (keyof typeof profile)[]) {
    if (key === 'id' || key === 'name' || key === 'docsUrl' || key === 'provenance') continue;
    provenance[key] = profile.provenance?.[key] ?? { assumed: 'set by the application (defineVendor)' };
  }
  return Object.freeze({ ...profile, provenance }) as VendorProfile<Id, Events>;
}
