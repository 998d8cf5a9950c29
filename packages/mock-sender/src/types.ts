import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { EventsOf, EventType, VendorId, VendorProfile, VendorRef } from '@hookproof/core';
import type { DeepPartial } from './merge.js';

/** A Node request listener: an Express app, `koaApp.callback()`, or your own `(req, res) => …`. */
export type NodeListener = (req: IncomingMessage, res: ServerResponse) => unknown;

/** A Fetch handler, called in-process with no socket (Hono's `app.fetch`, Next.js route handlers, …). */
export type FetchHandler = (request: Request) => Response | Promise<Response>;

/** A Koa application (anything with `callback()` returning a request listener). */
export interface KoaLike {
  callback(): NodeListener;
}

/** The part of a Fastify instance the mock uses: `inject`, so no socket is opened. */
export interface FastifyLike {
  inject(options: {
    method: 'POST';
    url: string;
    headers: Record<string, string>;
    payload: Buffer;
  }): PromiseLike<{ statusCode: number; headers: Record<string, unknown>; payload: string }>;
}

/**
 * Where deliveries go. A URL is reached over HTTP(S); an `http.Server` at its address
 * (started on an ephemeral 127.0.0.1 port if it is not listening); Express and Koa
 * apps and plain listeners behind an ephemeral 127.0.0.1 server the sender owns;
 * Fastify through `inject`; a Fetch handler in-process. `{ fetch }` and `{ listener }`
 * say which when a bare function is ambiguous.
 */
export type Target =
  | string
  | URL
  | Server
  | NodeListener
  | KoaLike
  | FastifyLike
  | FetchHandler
  | { readonly fetch: FetchHandler }
  | { readonly listener: NodeListener };

export interface MockSenderOptions<V extends VendorRef = VendorId> {
  /** A built-in vendor id or a profile from `defineVendor`. */
  vendor: V;
  /**
   * The signing secret, as entered in the vendor's dashboard. Optional only where the
   * vendor can deliver unsigned (Autoposting: then no signature header is sent) or
   * returns the secret from its API (Timbrix: `mockVendorApi()` provides it).
   */
  secret?: string;
  /** Where `send` and `deliver` go. Not needed for `emit`, which uses the registered URLs. */
  target?: Target;
  /** Request path for targets that are not URLs. Default `/`. */
  path?: string;
  /** Seed of the id generator; the same seed and calls give the same events. Default: random (see `sender.seed`). */
  seed?: number | string;
  /** Start of the sender's clock, ms since the epoch or a Date. Default: now. */
  startAt?: number | Date;
  /**
   * Extra delivery headers, e.g. `{ Authorization: 'Bearer …' }`: Audenci's help page lets
   * users add them ("Creating Webhooks"). Refused only for a profile whose `customHeaders`
   * is `false`; the built-in vendors that do not say either way get them sent.
   */
  headers?: Readonly<Record<string, string>>;
}

/** Signature faults: what each one sends is in the README ("Faults"). */
export type SignatureFault = 'tamper-body' | 'wrong-secret' | 'no-signature' | 'stale-timestamp' | 'bad-encoding';
export type Fault =
  SignatureFault | { readonly duplicate: number } | { readonly delayMs: number } | { readonly concurrent: number };

/** `virtual`: waits are skipped and added to the sender's clock. `real`: waits really happen. */
export type ClockMode = 'virtual' | 'real';

export type AttemptOutcome = 'success' | 'http-error' | 'timeout' | 'network-error';

/** An event ready to send: `bytes` are serialised once and are exactly what is signed and sent. */
export interface MockEvent<T extends string = string, P = unknown> {
  readonly vendor: string;
  readonly type: T;
  /** Whether the vendor documents this event name. */
  readonly documented: boolean;
  /** The envelope, deep-frozen. `undefined` for `raw()` bodies. */
  readonly payload: P;
  /** The body as text (UTF-8 of `bytes`). */
  readonly body: string;
  readonly bytes: Uint8Array;
  /** The delivery id header value (Autoposting), stable across retries; else undefined. */
  readonly deliveryId: string | undefined;
  /** The sender's clock when the event was made (ms). */
  readonly createdAt: number;
}

export type EventFor<V extends VendorRef, T extends EventType<V>> = MockEvent<T, EventsOf<V>[T]>;
export type EventOverrides<V extends VendorRef, T extends EventType<V>> = DeepPartial<EventsOf<V>[T]>;

export interface EventOptions {
  /**
   * Fields the vendor's documentation does not show, deep-merged after the overrides, e.g.
   * `{ data: { ad_id: 'x' } }`. Untyped on purpose: documented fields go in the typed
   * overrides, where a misspelt name is a compile error; these are sent as given and read
   * back with core's `undocumentedField()`. The event stays documented (its name is).
   */
  undocumentedFields?: Readonly<Record<string, unknown>>;
}

export interface SentRequest {
  readonly url: string;
  readonly method: 'POST';
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Uint8Array;
  /** The sender's clock when this attempt was signed (ms). */
  readonly signedAt: number;
}

export interface ReceivedResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** The response body as text, at most 1 MiB. */
  readonly body: string;
}

export interface AttemptResult {
  /** The HTTP status, if a response arrived in time. */
  readonly status: number | undefined;
  /** Any 2xx within the deadline: the vendor's success rule. */
  readonly ok: boolean;
  readonly outcome: AttemptOutcome;
  /** Measured real duration of the attempt. */
  readonly ms: number;
  readonly request: SentRequest;
  readonly response: ReceivedResponse | undefined;
  /** Why a `network-error` happened. */
  readonly error?: string;
}

export interface SendResult extends AttemptResult {
  /** Every request this send made: one, or n for `duplicate` / `concurrent`. The fields above are the first's. */
  readonly copies: readonly AttemptResult[];
}

export interface SendOptions {
  fault?: Fault;
  /** Per-attempt deadline; default the vendor's `timeoutMs`. */
  timeoutMs?: number;
  /** How a `delayMs` fault waits. Default `virtual`. */
  clock?: ClockMode;
}

export interface DeliverOptions {
  /** `vendor`: the profile's schedule; `none`: one try; or your own waits, in seconds. Default `vendor`. */
  retries?: 'vendor' | 'none' | readonly number[];
  /** Default `virtual`: the whole schedule runs without waiting. */
  clock?: ClockMode;
  /** Per-attempt deadline; default the vendor's `timeoutMs`. */
  timeoutMs?: number;
  /** Applied to every attempt (duplicate and concurrent are `send` options). */
  fault?: SignatureFault | { readonly delayMs: number };
  /** Statuses that end the delivery at once; default the profile's `retry.stopOn`. */
  stopOn?: readonly number[]; /** Called after each attempt, as it happens (with `clock: 'real'` a schedule can last hours). */
  onAttempt?: (attempt: DeliveryAttempt) => void;
}

export interface DeliveryAttempt extends AttemptResult {
  /** 1-based attempt number. */
  readonly n: number;
  /** When the attempt started, in ms since the delivery started, on the sender's clock. */
  readonly atMs: number;
  /** The wait before this attempt (0 for the first), from the schedule. */
  readonly delayMs: number;
}

export interface DeliveryLog {
  readonly state: 'delivered' | 'failed';
  /** `exhausted`: every attempt failed; `stopped`: a `stopOn` status ended it. */
  readonly reason: 'success' | 'exhausted' | 'stopped';
  readonly attempts: readonly DeliveryAttempt[];
  readonly event: MockEvent;
}

export interface Subscription {
  readonly id: string;
  readonly url: string;
  readonly events: readonly string[];
  readonly enabled: boolean;
  /** The secret deliveries are signed with; undefined = unsigned (Autoposting without a secret). */
  readonly secret: string | undefined;
  readonly createdAt: string;
  /** Path parameters and required headers the registration carried (e.g. organizationId, x-aidelly-workspace-id). */
  readonly context: Readonly<Record<string, string>>;
}

export interface VendorApiOptions {
  /** Default: the profile's `api.baseUrl`. */
  baseUrl?: string;
  /** Accepted API keys; default any non-empty key. */
  apiKeys?: readonly string[];
  /**
   * `loopback` (default): only 127.0.0.1 / localhost / [::1] may be reached for real while
   * the mock is active, so a wrong base URL fails instead of reaching the vendor.
   * `unchanged`: leave nock's net-connect setting alone.
   */
  netConnect?: 'loopback' | 'unchanged';
  /**
   * The role of the API key's user, for vendors that document a role check on create
   * (Timbrix: only OWNER and ADMIN, case-insensitive; others get its documented 403).
   * Default: allowed. A setup error for vendors that document none.
   */
  role?: string;
  /**
   * Consecutive failed deliveries after which `emit` disables a subscription (its
   * `enabled` reads false and it receives nothing more). Default: the profile's
   * `disableAfterFailures` (Autoposting: assumed 5; others: never). `false`: never.
   */
  disableAfterFailures?: number | false;
}

export interface VendorApiMock {
  readonly baseUrl: string;
  /** Current registrations, in order (deleted ones removed, disabled ones with `enabled: false`). */
  readonly subscriptions: readonly Subscription[];
  /** Whether the create-webhook endpoint was called at least once. */
  isDone(): boolean;
  /** Throws if the create-webhook endpoint was never called (like nock's `scope.done()`). */
  done(): void;
  /** Removes this mock's interceptors and restores real networking. */
  restore(): void;
}

export interface EmitResult {
  readonly subscription: Subscription;
  readonly log: DeliveryLog;
}

export interface MockSender<V extends VendorRef = VendorId> {
  readonly profile: VendorProfile;
  /** The seed in use (given or generated): pass it back to reproduce a run. */
  readonly seed: number;
  /** The sender's clock (ms). Give it to the receiver under test: `verify({ now: sender.now })`. */
  readonly now: () => number;
  /**
   * A documented event with realistic, deterministic content; `overrides` (documented fields
   * only, typed) are deep-merged, then `options.undocumentedFields`.
   */
  event<T extends EventType<V>>(type: T, overrides?: EventOverrides<V, T>, options?: EventOptions): EventFor<V, T>;
  /** An event name the vendor does not document (e.g. Autoposting's `post.partial`), in the vendor's envelope. */
  undocumented(
    type: string,
    overrides?: Readonly<Record<string, unknown>>,
  ): MockEvent<string, Readonly<Record<string, unknown>>>;
  /** Any body, sent as is (e.g. to test a receiver with non-JSON). */
  raw(body: string | Uint8Array, options?: { type?: string }): MockEvent<string, undefined>;
  /** One attempt, signed at the sender's clock. */
  send(event: MockEvent, options?: SendOptions): Promise<SendResult>;
  /** A whole delivery with the vendor's retry schedule. */
  deliver(event: MockEvent, options?: DeliverOptions): Promise<DeliveryLog>;
  /** Intercepts the vendor's create-webhook endpoint with nock. */
  mockVendorApi(options?: VendorApiOptions): VendorApiMock;
  /** Delivers a new event to every registered, enabled subscription whose events include it. */
  emit<T extends EventType<V>>(
    type: T,
    overrides?: EventOverrides<V, T>,
    options?: DeliverOptions,
  ): Promise<readonly EmitResult[]>;
  /**
   * `emit` for an event name the vendor does not document (e.g. the names Autoposting's
   * concept page lists beside its API enum): only `"*"` subscriptions, or ones that named it, receive it.
   */
  emitUndocumented(
    type: string,
    overrides?: Readonly<Record<string, unknown>>,
    options?: DeliverOptions,
  ): Promise<readonly EmitResult[]>;
  /** Closes servers the sender started and removes its API mock. */
  close(): Promise<void>;
}
