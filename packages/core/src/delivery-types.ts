import type { WebhookError } from './errors.js';
import type { DeliveryOptions } from './guard.js';
import type { WebhookLogger } from './delivery-log.js';
import type { ClosingSource } from './handler-context.js';
import type { HeadersLike } from './headers.js';
import type { SecretResolver } from './secret-source.js';
import type { Secrets, VendorName, VendorRef, WebhookEvent } from './types.js';
import type { VerifyOptions } from './verify.js';
import type { VendorId } from './vendors/index.js';

// The types every port shares: what a delivery is, what its answer is, the vendor and
// secret choices, and the options of the adapters' options mode.

/** An event of any vendor in `V`: narrow on `vendor`, then on `type`. */
export type EventFor<V extends VendorRef> = V extends VendorRef ? WebhookEvent<V> : never;

/** Every event an adapter can expose when the vendor is not known statically. */
export type AnyWebhookEvent = EventFor<VendorRef>;

/** `secret` per vendor id, for apps receiving several vendors on one route. */
export type SecretMap<V extends VendorRef = VendorId> = { readonly [K in VendorName<V>]?: Secrets };

export type { SecretResolver } from './secret-source.js';

export type SecretSource<V extends VendorRef = VendorId> = Secrets | SecretMap<V> | SecretResolver<V>;

/** What `onError` may change in a failure response; anything left out keeps the default. */
export interface ErrorResponse {
  readonly status?: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

export type OnWebhookError<V extends VendorRef = VendorId> = (
  error: WebhookError,
  event: EventFor<V> | undefined,
) => ErrorResponse | undefined | void | Promise<ErrorResponse | undefined | void>;

/** A vendor option: a built-in id, a profile, or `'auto'` (every built-in vendor). */
export type VendorChoice = VendorRef | 'auto';

/** The vendors a `vendor` option stands for: `'auto'` is every built-in one. */
export type ResolveVendor<V extends VendorChoice> = V extends 'auto' ? VendorId : V extends VendorRef ? V : never;

export interface WebhookOptions<V extends VendorChoice = VendorId>
  extends Omit<VerifyOptions, 'vendor' | 'secret'>, DeliveryOptions {
  /**
   * One vendor (id or profile), several, or `'auto'`: every built-in vendor (or, with a
   * secret map, the vendors in it), told apart by which signature header is present.
   * Several vendors need a secret map when two of them sign the same content (see `secret`).
   */
  vendor: V | readonly V[];
  /**
   * The signing secret(s): a string, an array during rotation, a map per vendor id, or a
   * function `(vendorId) => secret(s)` (may be async) for secret managers.
   * Optional only with `allowUnsigned` (and refused with it).
   *
   * With several vendors, two that sign the same content (Aidelly, Audenci and Timbrix all
   * sign the raw body alone) cannot share a secret: a delivery captured from one would
   * verify as the other with its header renamed. Pass a map with a different secret per
   * vendor; a shared string or array is a setup `TypeError` then. A `secret` function is
   * asked per vendor and must likewise answer a different secret for each (not checked).
   */
  secret?: SecretSource<NoInfer<ResolveVendor<V>>>;
  /** How long a secret returned by a `secret` function is reused, in ms. Default 5 min; 0 = ask every time. */
  secretCacheMs?: number;
  /**
   * How long a `secret` function may take before the delivery is answered 503
   * `secret_unavailable` (the vendor retries), in ms. Default 5 s, well under the
   * vendors' delivery deadlines (Aidelly: 2xx within 10 s).
   */
  secretTimeoutMs?: number;
  /** Customise failure responses (status, body, headers). Return nothing to keep the default. */
  onError?: OnWebhookError<NoInfer<ResolveVendor<V>>>;
  /**
   * Where failures are logged, once each, one line, never a secret or a signature:
   * pino, Fastify's `app.log`, `consoleLogger(level)`, or `false` for nowhere. Default: the
   * framework's logger where it has one (Fastify's `request.log`, Koa's `app.emit('error')`),
   * else `consoleLogger('warn')`. See docs/observability.md.
   */
  logger?: WebhookLogger | false;
}

/** Settings of an adapter that wraps a receiver: `webhook(receiver, { onError })`. */
export interface ReceiverAdapterSettings<V extends VendorRef = VendorId> {
  onError?: OnWebhookError<V>;
}

/**
 * The answer to one delivery: the status, JSON body and headers to send, and the event and
 * error where there are ones. `next: true` (options mode only): the event is verified and
 * the request goes on to the app instead.
 */
export interface PipelineAnswer<V extends VendorRef = VendorId> {
  /** `true`: the event is verified and the request goes on to the app (options mode). Otherwise answer with `status` and `body`. */
  readonly next: boolean;
  readonly status: number;
  /** JSON to send: `{ ok, id, type }`, or `{ error, message }` for a failure (never secrets or signatures). */
  readonly body: unknown;
  readonly headers: Readonly<Record<string, string>>;
  readonly event?: WebhookEvent<V>;
  readonly error?: WebhookError;
}

/** What a port hands the pipeline for one delivery. `remoteAddress` is needed only with `allowIps`. */
export interface DeliveryRequest {
  readonly body: unknown;
  readonly headers: HeadersLike | null | undefined;
  readonly remoteAddress?: string | undefined;
  /** The framework's logger (Fastify's `request.log`), used when the options set no `logger`. */
  readonly log?: WebhookLogger | undefined;
  /** The server, so a handler's `signal` fires when it closes (Node: `req.socket.server`). */
  readonly closing?: ClosingSource | undefined;
}

/** The adapters' name for `PipelineAnswer`. */
export type EngineResult<V extends VendorRef = VendorId> = PipelineAnswer<V>;

/** The adapters' name for `DeliveryRequest`. */
export type EngineRequest = DeliveryRequest;
