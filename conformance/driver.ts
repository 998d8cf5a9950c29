// The one interface every runtime adapter implements for the conformance table: mount
// the middleware/plugin, send raw requests, read the answer. Express, Koa and Fastify
// implement it in their test folders; the Fetch handler and the hardening matrix can too.
import type { Receiver, ReceiverAdapterSettings, VendorChoice, VendorRef, WebhookOptions } from '@hookproof/core';

/** One HTTP request exactly as a vendor (or an attacker) sends it. */
export interface WireRequest {
  readonly body: Buffer;
  /** Header lines in order; a name may repeat (sent as separate lines). */
  readonly headers: readonly (readonly [string, string])[];
  /** Send with transfer-encoding: chunked (no content-length), in several writes. */
  readonly chunked?: boolean;
}

export interface WireResponse {
  readonly status: number;
  /** The parsed JSON body (undefined if the body is not JSON). */
  readonly body: unknown;
  readonly text: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

/**
 * A body parser that ran before the webhook middleware:
 * - `json`: consumed the body and kept no raw bytes (the classic failure) -> `body_not_raw`;
 * - `json-keep-raw`: consumed it but kept the raw bytes (`express.json({ verify })`,
 *   `@koa/bodyparser`'s `rawBody`, a Fastify parser setting `request.rawBody`).
 */
export type PriorParser = 'json' | 'json-keep-raw';

/** Receiver mode: the adapter verifies, dedupes, dispatches and answers itself. */
export interface ReceiverMount {
  readonly receiver: Receiver<VendorRef>;
  readonly settings?: ReceiverAdapterSettings<VendorRef>;
}

export interface MountSpec {
  /**
   * Options mode: the route behind the middleware answers 200
   * `{ via: 'next', vendor, type, id }` from the typed event the adapter exposes.
   */
  readonly webhook: WebhookOptions<VendorChoice> | ReceiverMount;
  readonly prior?: PriorParser;
}

export interface Mounted {
  /** POST the request to the webhook route. */
  send(request: WireRequest): Promise<WireResponse>;
  /** Listens on 127.0.0.1 (once) and returns the base URL, for tests that need a real socket. */
  listen(): Promise<string>;
  close(): Promise<void>;
}

export interface AdapterDriver {
  /** e.g. `express@4`. */
  readonly name: string;
  /** The package name setup errors start with, e.g. `@hookproof/express`. */
  readonly packageName: string;
  /** Mounts one app; rejects (or throws) with the adapter's setup error for bad options. */
  mount(spec: MountSpec): Promise<Mounted>;
}

export function isReceiverMount(webhook: MountSpec['webhook']): webhook is ReceiverMount {
  return typeof (webhook as ReceiverMount).receiver === 'object';
}

/** The route path every driver mounts the webhook on. */
export const HOOK_PATH = '/hooks';
