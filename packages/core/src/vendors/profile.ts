import type { SignatureEncoding } from '../encoding.js';
import type { SignedContent, SigningScheme } from '../scheme.js';

/**
 * Where a profile field comes from: `documented` where a page of the vendor's public
 * documentation states it (the note names the page and section, and paraphrases it), or
 * `assumed` where the vendor is silent (the note gives our choice and the reason).
 * A `documented` note may still flag a part that is read into the text, e.g. when a
 * retry delay starts. Every assumed field can be overridden with
 * `defineVendor({ ...vendors.x, field })`.
 */
export type Provenance = { readonly documented: string } | { readonly assumed: string };

/** Event name -> payload type. The phantom type behind a profile's typed events. */
// `object`, not an index signature, so plain interfaces qualify as event maps.
export type EventMap = object;

/** How a vendor retries a failed delivery; the mock sender replays it. */
export interface RetryPolicy {
  /** Wait before each retry, in seconds; length = number of retries after the first try. */
  readonly delaysSec: readonly number[];
  /** A delay counts from the end of the failed attempt: no vendor says otherwise; each profile's `retry` note says whether this is assumed. */
  readonly delayFrom: 'attempt-end';
  /** Whether a response slower than `timeoutMs` counts as a failed attempt. */
  readonly timeoutIsFailure: boolean;
  /** Statuses after which the vendor stops retrying at once (e.g. 410 Gone); none is documented. */
  readonly stopOn: readonly number[];
}

/** The vendor's "create webhook" endpoint, which the mock sender emulates. */
export interface SubscriptionApi {
  readonly baseUrl: string;
  readonly method: 'POST';
  /** Path template; `{organizationId}` style parameters are allowed. */
  readonly path: string;
  /** Request headers the endpoint requires besides authentication. */
  readonly requiredHeaders: readonly string[];
  /** Whether the endpoint returns the signing secret (once) instead of taking one. */
  readonly returnsSecret: boolean;
}

/** The vendor knowledge a profile holds: header names, what is signed, encodings, tolerance, events, retries. */
export interface ProfileFields {
  /** Name of the signature header, as the vendor spells it. */
  readonly signatureHeader: string;
  /** How `sign()` and the mock sender encode the MAC; verification accepts every encoding. */
  readonly signatureEncoding: SignatureEncoding;
  /** Prefix `sign()` puts before the MAC, e.g. `sha256=`. */
  readonly signaturePrefix: string;
  /**
   * What the MAC covers: `'body'`, `'timestamp.body'` (`<timestamp>.<raw body>`), or a
   * template such as `'v0:{timestamp}:{body}'` (see `SigningScheme`).
   */
  readonly signedContent: SignedContent;
  /** Header carrying the signed timestamp, for `timestamp.body` vendors. */
  readonly timestampHeader: string | undefined;
  /** How `sign()` writes the timestamp; verification accepts unix s, unix ms and ISO-8601. */
  readonly timestampFormat: 'unix-s' | 'unix-ms' | 'iso' | undefined;
  /** Replay window in seconds, both ways; `undefined` where nothing is signed with a time. */
  readonly toleranceSec: number | undefined;
  /** `opt-in`: unsigned deliveries exist and may be accepted with `allowUnsigned: true`. */
  readonly unsigned: 'refuse' | 'opt-in';
  /** Header naming the event type, if any. */
  readonly eventHeader: string | undefined;
  /** Header carrying a delivery id, if any. */
  readonly deliveryHeader: string | undefined;
  /** Envelope fields holding the event type, tried in order. */
  readonly typeFields: readonly string[];
  /** Envelope field holding the vendor's event id, if any. */
  readonly idField: string | undefined;
  /** Envelope field holding the event time, if any. */
  readonly timeField: string | undefined;
  /** Event names the vendor documents. */
  readonly events: readonly string[];
  /** Names the vendor mentions as coming soon or in a second source; typed, flagged here. */
  readonly otherEvents: readonly string[];
  readonly retry: RetryPolicy;
  /** The vendor's per-attempt deadline; success = any 2xx within it. */
  readonly timeoutMs: number;
  /**
   * Whether the vendor lets users add their own headers (e.g. `Authorization`) to deliveries;
   * `undefined` where its pages do not say (the mock sender then sends `headers` if given).
   */
  readonly customHeaders: boolean | undefined;
  /**
   * Consecutive failed deliveries (every attempt of an event failed) after which the vendor
   * disables the endpoint; `undefined` where no vendor text says it ever does.
   */
  readonly disableAfterFailures: number | undefined;
  readonly api: SubscriptionApi | undefined;
  /**
   * How the HMAC key is made from the secret: `'utf8-string'` = the UTF-8 bytes of the whole
   * secret string as configured, any prefix such as `whsec_` included, never decoded;
   * `'base64'` = the string is base64 of the key bytes; `'whsec-base64'` = an optional
   * `whsec_` prefix, then base64 of the key bytes (Standard Webhooks, Svix).
   */
  readonly secretKey: 'utf8-string' | 'base64' | 'whsec-base64';
  /**
   * Where the signing secret comes from: `'request'` = the app chooses it and sends it when
   * creating the webhook; `'response'` = the create-webhook response returns it (once);
   * `'outside-api'` = neither: the app copies it from the vendor (e.g. its dashboard).
   */
  readonly secretSource: 'request' | 'response' | 'outside-api';
}

/**
 * Optional profile fields, for schemes and payloads the original four vendors do not need.
 * A profile without them behaves as before.
 */
export interface SchemeProfileFields {
  /**
   * The signing scheme as data (`SigningScheme`): signed-content template, signature header
   * syntax, timestamp and id sources, secret encoding and HMAC hash. When set it is what
   * `verify`, `sign`, `diagnose` and the mock sender read, and the signing fields above only
   * describe it (`defineVendor` derives them).
   */
  readonly scheme?: SigningScheme | undefined;
  /** Every event type verifies as documented: the vendor's list is not maintained here (recipes, Standard Webhooks). */
  readonly openEvents?: boolean | undefined;
  /** The type given to a verified body that names none; without it such a body is `invalid_payload`. Delivered as undocumented. */
  readonly untypedEvent?: string | undefined;
  /**
   * Use `eventHeader` as the type when the body names none (GitHub, Shopify). That header is
   * not signed: a captured delivery can be replayed under another type, so handlers must
   * check the payload. Off by default.
   */
  readonly typeFromEventHeader?: boolean | undefined;
  /** `'json-or-form'`: a body that is not JSON may be `application/x-www-form-urlencoded` (Slack's slash commands); its fields become the payload. */
  readonly bodyFormat?: 'json' | 'json-or-form' | undefined;
}

/** The name of a profile field; each has a provenance note. */
export type ProfileField = keyof ProfileFields;

/** The name of an optional profile field; a provenance note is optional too. */
export type OptionalProfileField = keyof SchemeProfileFields;

/**
 * One vendor as data: every field of `ProfileFields`, a provenance note per field, and
 * (for types only) its event map. Accepted wherever a `VendorId` is.
 */
export interface VendorProfile<Id extends string = string, Events extends EventMap = EventMap>
  extends ProfileFields, SchemeProfileFields {
  readonly id: Id;
  readonly name: string;
  /** The vendor's public webhook documentation, where its pages give a URL; absent otherwise. */
  readonly docsUrl?: string;
  /** A `documented | assumed` note for every field above (optional for the optional fields). */
  readonly provenance: { readonly [K in ProfileField]: Provenance } & {
    readonly [K in OptionalProfileField]?: Provenance;
  };
  /** Phantom: carries the event map for types only; never set at runtime. */
  readonly __events?: Events;
}
