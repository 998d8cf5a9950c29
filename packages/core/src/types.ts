import type { EventMap, VendorProfile } from './vendors/profile.js';
import type { BuiltInEvents, VendorId } from './vendors/index.js';
import type { WebhookError } from './errors.js';

/** A built-in vendor id, or a profile (built-in, overridden, or your own from `defineVendor`). */
export type VendorRef = VendorId | VendorProfile<string, EventMap>;

/** The vendor id string of a `VendorRef`. */
export type VendorName<V extends VendorRef> = V extends VendorId
  ? V
  : V extends VendorProfile<infer Id, EventMap>
    ? Id
    : string;

/** The event map (name -> payload) of a `VendorRef`. */
export type EventsOf<V extends VendorRef> = V extends VendorId
  ? BuiltInEvents[V]
  : V extends VendorProfile<string, infer E>
    ? E
    : EventMap;

/** Documented event names of a vendor: what `.on()` accepts. */
export type EventType<V extends VendorRef> = keyof EventsOf<V> & string;

declare const undocumented: unique symbol;
/**
 * The type of an event name the vendor did not document (e.g. Autoposting's
 * `post.partial`). At runtime it is the plain name string.
 *
 * It is typed as a branded `String` object rather than `string & brand` on purpose:
 * TypeScript keeps every union member whose discriminant is comparable with the
 * literal, and any `string`-based type is comparable with every literal, so
 * `e.type === 'post.published'` would keep the undocumented member and widen the
 * payload. A `String` interface is not comparable with string literals, so narrowing
 * on a documented name yields exactly that event, and comparing with a name that is
 * neither documented nor otherwise known (`e.type === 'post.publishd'`) is a compile
 * error. To match an undocumented name, compare its string form:
 * `if (!e.documented && String(e.type) === 'post.partial')`.
 */
export interface UndocumentedType extends String {
  readonly [undocumented]: true;
}

/**
 * Where `event.id` came from: the vendor's event id in the signed body (`payload`); a
 * message id header the signature covers (`signed-header`: Standard Webhooks' `webhook-id`,
 * the same on every retry); or (`body-digest`) `sha256:` + 32 hex digits of SHA-256 over
 * the raw body: the same id whichever secret matched. Never an unsigned header and never
 * part of a MAC.
 */
export type IdSource = 'payload' | 'signed-header' | 'body-digest';

interface EventBase<V extends VendorRef> {
  readonly vendor: VendorName<V>;
  /**
   * The dedupe id, from signed content only: the vendor's event id in the body where one
   * exists, else a stable digest of the raw body (see `idSource`).
   */
  readonly id: string;
  readonly idSource: IdSource;
  /**
   * The delivery id header, where the vendor sends one (Autoposting's
   * `X-Autoposting-Delivery`). **Unauthenticated**: the header is not covered by the
   * signature, so anyone replaying a captured delivery can set it. Fine for logs and
   * support requests; never use it as a dedupe key or to make a decision (use `id`).
   */
  readonly deliveryId: string | undefined;
  /** The signed timestamp (ms since epoch), where the vendor signs one. */
  readonly signedAt: number | undefined;
  /** The raw body exactly as received and verified. */
  readonly raw: string;
}

/** A documented event: `payload` is the vendor's envelope for `type`. */
export interface KnownEvent<V extends VendorRef, T extends string, P> extends EventBase<V> {
  readonly type: T;
  readonly documented: true;
  readonly payload: P;
}

/** A verified event whose name is not in the vendor's documented list. */
export interface UndocumentedEvent<V extends VendorRef> extends EventBase<V> {
  readonly type: UndocumentedType;
  readonly documented: false;
  readonly payload: { readonly [key: string]: unknown };
}

/**
 * Every event a vendor can deliver: documented ones discriminated by `type`, plus
 * undocumented ones (`documented: false`). Distributes over a union of vendors, so
 * the default `WebhookEvent` is any built-in vendor's event, discriminated by `vendor`.
 */
export type WebhookEvent<V extends VendorRef = VendorId> = V extends VendorRef
  ? { [T in EventType<V>]: KnownEvent<V, T, EventsOf<V>[T]> }[EventType<V>] | UndocumentedEvent<V>
  : never;

/** The event of one documented type. */
export type EventOf<V extends VendorRef, T extends EventType<V>> = KnownEvent<V, T, EventsOf<V>[T]>;

/** What `verify` resolves: a typed event and the index of the secret that matched, or a `WebhookError`. Never rejects for peer input. */
export type VerifyResult<V extends VendorRef = VendorId> =
  | { readonly ok: true; readonly event: WebhookEvent<V>; readonly secretIndex: number }
  | { readonly ok: false; readonly error: WebhookError };

/**
 * A secret, or several during rotation (any may match; the result says which). A string is
 * read per the vendor's scheme (as given, or `whsec_` + base64 decoded); a `Uint8Array` is
 * the raw HMAC key.
 */
export type Secrets = string | Uint8Array | readonly (string | Uint8Array)[];
