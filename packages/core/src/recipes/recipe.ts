import { fieldsFromScheme, type SigningScheme } from '../scheme.js';
import type { EventMap, OptionalProfileField, ProfileField, Provenance, VendorProfile } from '../vendors/profile.js';

/** What a recipe states; everything else of a profile is filled in (and marked assumed) by `recipe()`. */
export interface RecipeSpec<Id extends string> {
  readonly id: Id;
  readonly name: string;
  readonly docsUrl: string;
  /** The vendor page (name and section) the signing scheme is read from: the `documented` note of every scheme field. */
  readonly source: string;
  readonly scheme: SigningScheme;
  readonly toleranceSec: number | undefined;
  readonly typeFields: readonly string[];
  readonly idField?: string;
  readonly timeField?: string;
  readonly eventHeader?: string;
  readonly deliveryHeader?: string;
  readonly typeFromEventHeader?: boolean;
  readonly bodyFormat?: 'json' | 'json-or-form';
  /** Notes for the fields above, by field; a field without one is `documented` by `source`. */
  readonly notes: Partial<Record<ProfileField | OptionalProfileField, Provenance>>;
}

const SCHEME_FIELDS = new Set<string>([
  'scheme',
  'signatureHeader',
  'signatureEncoding',
  'signaturePrefix',
  'signedContent',
  'timestampHeader',
  'timestampFormat',
  'secretKey',
]);
const NOT_MODELLED: Provenance = {
  assumed:
    'not part of this recipe: a recipe describes how deliveries are signed and typed; retries, deadlines and the subscription API are not modelled',
};

/**
 * A recipe as a full profile. Its events are typed loosely (`Events` has a string index
 * signature): the vendor's event list is the vendor's to maintain, not ours, so every
 * event type verifies as documented (`openEvents`).
 *
 * The spec is a function so that a recipe nobody imports costs nothing: bundlers drop a
 * pure call whose argument is a function literal, while an object literal holding template
 * strings would be kept for its (possible) side effects.
 */
export function recipe<Events extends EventMap, Id extends string>(
  specOf: () => RecipeSpec<Id>,
): VendorProfile<Id, Events> {
  const spec = specOf();
  const profile = {
    id: spec.id,
    name: spec.name,
    docsUrl: spec.docsUrl,
    scheme: spec.scheme,
    ...fieldsFromScheme(spec.scheme),
    toleranceSec: spec.toleranceSec,
    unsigned: 'refuse' as const,
    eventHeader: spec.eventHeader,
    deliveryHeader: spec.deliveryHeader,
    typeFields: spec.typeFields,
    idField: spec.idField,
    timeField: spec.timeField,
    events: [] as readonly string[],
    otherEvents: [] as readonly string[],
    openEvents: true,
    ...(spec.typeFromEventHeader === undefined ? {} : { typeFromEventHeader: spec.typeFromEventHeader }),
    ...(spec.bodyFormat === undefined ? {} : { bodyFormat: spec.bodyFormat }),
    retry: {
      delaysSec: [] as readonly number[],
      delayFrom: 'attempt-end' as const,
      timeoutIsFailure: true,
      stopOn: [] as readonly number[],
    },
    timeoutMs: 10_000,
    customHeaders: undefined,
    disableAfterFailures: undefined,
    api: undefined,
  };
  const provenance: Record<string, Provenance> = {};
  for (const key of Object.keys(profile)) {
    if (key === 'id' || key === 'name' || key === 'docsUrl') continue;
    const note = spec.notes[key as ProfileField | OptionalProfileField];
    if (note !== undefined) provenance[key] = note;
    else if (SCHEME_FIELDS.has(key) || key in spec) provenance[key] = { documented: spec.source };
    else if (key === 'events' || key === 'otherEvents' || key === 'openEvents') {
      provenance[key] = {
        assumed: "typed loosely, every event type verifies; the vendor's event list is not maintained here",
      };
    } else provenance[key] = NOT_MODELLED;
  }
  return Object.freeze({ ...profile, provenance }) as unknown as VendorProfile<Id, Events>;
}

/** The loose payload of a recipe's events: an object whose fields are not typed here. */
export type LoosePayload = { readonly [key: string]: unknown };
