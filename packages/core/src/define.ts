import { setupError } from './errors.js';
import type { EventMap, OptionalProfileField, ProfileField, Provenance, VendorProfile } from './vendors/profile.js';
import { vendors } from './vendors/index.js';

const REQUIRED: readonly ProfileField[] = ['signatureHeader', 'signedContent', 'typeFields', 'events', 'retry', 'timeoutMs'];

/**
 * Your own vendor, or a built-in one with an assumption overridden:
 * `defineVendor({ ...vendors.timbrix, typeFields: ['kind'] })`. Accepted wherever a
 * `VendorId` is. Fields without a provenance note are marked assumed by you; a field
 * of a spread built-in profile whose value you changed is marked overridden, so the
 * vendor's "documented" note never vouches for your value. Spreading a built-in
 * keeps its typed events (and id) without type arguments.
 */
export function defineVendor<Events extends EventMap = EventMap, Id extends string = string>(
  // `__events` is an inference site only: spreading a built-in profile infers its event
  // map, while explicit type arguments may replace it (`| EventMap` accepts any map).
  profile: Omit<VendorProfile<Id, Events>, 'provenance' | '__events'> & {
    readonly __events?: Events | EventMap;
    readonly provenance?: Partial<Record<ProfileField | OptionalProfileField, Provenance>>;
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
  const base: VendorProfile | undefined = Object.prototype.hasOwnProperty.call(vendors, profile.id)
    ? vendors[profile.id as keyof typeof vendors]
    : undefined;
  const provenance = {} as Record<ProfileField | OptionalProfileField, Provenance>;
  for (const key of Object.keys(profile) as (keyof typeof profile)[]) {
    if (key === 'id' || key === 'name' || key === 'docsUrl' || key === 'provenance' || key === '__events') continue;
    const given = profile.provenance?.[key];
    // A spread keeps the built-in's values by reference: a different value is the app's own.
    const overridden = base !== undefined && profile[key] !== base[key] && (given === undefined || given === base.provenance[key]);
    provenance[key] = overridden
      ? { assumed: `overridden by the application (defineVendor); the vendor's note was: ${describe(base.provenance[key])}` }
      : (given ?? { assumed: 'set by the application (defineVendor)' });
  }
  return Object.freeze({ ...profile, provenance }) as VendorProfile<Id, Events>;
}

function describe(note: Provenance | undefined): string {
  if (note === undefined) return 'none';
  return 'documented' in note ? `documented, ${note.documented}` : `assumed, ${note.assumed}`;
}
