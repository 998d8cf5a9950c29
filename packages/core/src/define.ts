import { setupError } from './errors.js';
import { checkVendorId } from './resolve.js';
import type { EventMap, OptionalProfileField, ProfileField, Provenance, VendorProfile } from './vendors/profile.js';
import { fieldsFromScheme, schemeOf } from './scheme.js';
import { DEFAULT_TOLERANCE_SEC } from './verify.js';
import { vendors } from './vendors/index.js';

const REQUIRED: readonly ProfileField[] = [
  'signatureHeader',
  'signedContent',
  'typeFields',
  'events',
  'retry',
  'timeoutMs',
];

/** The profile fields a `scheme` determines; optional in `defineVendor` (derived from `scheme`, or defaulted). */
export type SigningField =
  | 'signatureHeader'
  | 'signatureEncoding'
  | 'signaturePrefix'
  | 'signedContent'
  | 'timestampHeader'
  | 'timestampFormat'
  | 'secretKey';

/** What `defineVendor` takes: a profile without provenance; with a `scheme`, the signing fields are derived from it. */
export type VendorDefinition<Id extends string = string, Events extends EventMap = EventMap> = Omit<
  VendorProfile<Id, Events>,
  'provenance' | '__events' | SigningField
> &
  Partial<Pick<VendorProfile<Id, Events>, SigningField>> & {
    readonly __events?: Events | EventMap;
    readonly provenance?: Partial<Record<ProfileField | OptionalProfileField, Provenance>>;
  };

/**
 * Your own vendor, or a built-in one with an assumption overridden:
 * `defineVendor({ ...vendors.timbrix, typeFields: ['kind'] })`. Accepted wherever a
 * `VendorId` is. Fields without a provenance note are marked assumed by you; a field
 * of a spread built-in profile whose value you changed is marked overridden, so the
 * vendor's "documented" note never vouches for your value. Spreading a built-in
 * keeps its typed events (and id) without type arguments.
 *
 * Checked at once (a `TypeError` naming the fix): the required fields, an `id` without
 * `:` (dedupe keys are `<vendor id>:<event id>`, so a colon could make two keys collide),
 * and a replay window for timestamp-signed content: `signedContent: 'timestamp.body'`
 * without `toleranceSec` gets `DEFAULT_TOLERANCE_SEC` (300 s, marked assumed).
 */
export function defineVendor<Events extends EventMap = EventMap, Id extends string = string>(
  // `__events` is an inference site only: spreading a built-in profile infers its event
  // map, while explicit type arguments may replace it (`| EventMap` accepts any map).
  definition: VendorDefinition<Id, Events>,
): VendorProfile<Id, Events> {
  if (typeof definition !== 'object' || definition === null) throw setupError('defineVendor() takes a profile object.');
  if (typeof definition.id !== 'string' || definition.id === '')
    throw setupError('defineVendor(): `id` must be a non-empty string.');
  checkVendorId(definition.id, 'defineVendor()');
  // With a scheme, the signing fields describe it (and a spread profile's own ones give way);
  // without one, they keep the original defaults. Either way the scheme is compiled below,
  // so a mistake in it is a TypeError here, not at the first delivery.
  const signing =
    definition.scheme !== undefined
      ? fieldsFromScheme(definition.scheme)
      : {
          signatureEncoding: definition.signatureEncoding ?? ('hex' as const),
          signaturePrefix: definition.signaturePrefix ?? '',
          timestampHeader: definition.timestampHeader,
          timestampFormat: definition.timestampFormat,
          secretKey: definition.secretKey ?? ('utf8-string' as const),
        };
  const profile = { ...definition, ...signing } as Omit<VendorProfile<Id, Events>, 'provenance' | '__events'> & {
    readonly provenance?: Partial<Record<ProfileField | OptionalProfileField, Provenance>>;
  };
  for (const field of REQUIRED) {
    if (profile[field] === undefined) {
      throw setupError(
        `defineVendor(${JSON.stringify(profile.id)}): \`${field}\` is required (copy it from a built-in profile: { ...vendors.aidelly, ... }).`,
      );
    }
  }
  if (profile.signedContent === 'timestamp.body' && profile.timestampHeader === undefined) {
    throw setupError(
      `defineVendor(${JSON.stringify(profile.id)}): signedContent 'timestamp.body' needs \`timestampHeader\`.`,
    );
  }
  const signsTime = schemeOf(profile).timestamp !== undefined;
  // A signed timestamp is only worth something with a replay window: without one, a
  // delivery captured a year ago verifies today. Default it rather than skip the check.
  const windowed =
    signsTime && profile.toleranceSec === undefined
      ? {
          ...profile,
          toleranceSec: DEFAULT_TOLERANCE_SEC,
          provenance: {
            ...profile.provenance,
            toleranceSec: { assumed: `no window given: the default ${DEFAULT_TOLERANCE_SEC} s (defineVendor)` },
          },
        }
      : profile;
  if (
    windowed.toleranceSec !== undefined &&
    !(typeof windowed.toleranceSec === 'number' && Number.isFinite(windowed.toleranceSec) && windowed.toleranceSec >= 0)
  ) {
    throw setupError(
      `defineVendor(${JSON.stringify(profile.id)}): \`toleranceSec\` must be a non-negative number of seconds, got ${String(windowed.toleranceSec)}.`,
    );
  }
  return defined(windowed);
}

function defined<Events extends EventMap, Id extends string>(
  profile: Omit<VendorProfile<Id, Events>, 'provenance' | '__events'> & {
    readonly provenance?: Partial<Record<ProfileField | OptionalProfileField, Provenance>>;
  },
): VendorProfile<Id, Events> {
  const base: VendorProfile | undefined = Object.prototype.hasOwnProperty.call(vendors, profile.id)
    ? vendors[profile.id as keyof typeof vendors]
    : undefined;
  const provenance = {} as Record<ProfileField | OptionalProfileField, Provenance>;
  for (const key of Object.keys(profile) as (keyof typeof profile)[]) {
    if (key === 'id' || key === 'name' || key === 'docsUrl' || key === 'provenance' || (key as string) === '__events')
      continue;
    const given = profile.provenance?.[key];
    // A spread keeps the built-in's values by reference: a different value is the app's own.
    const overridden =
      base !== undefined && profile[key] !== base[key] && (given === undefined || given === base.provenance[key]);
    provenance[key] = overridden
      ? {
          assumed: `overridden by the application (defineVendor); the vendor's note was: ${describe(base.provenance[key])}`,
        }
      : (given ?? { assumed: 'set by the application (defineVendor)' });
  }
  const out = Object.freeze({ ...profile, provenance }) as VendorProfile<Id, Events>;
  schemeOf(out);
  return out;
}

function describe(note: Provenance | undefined): string {
  if (note === undefined) return 'none';
  return 'documented' in note ? `documented, ${note.documented}` : `assumed, ${note.assumed}`;
}
