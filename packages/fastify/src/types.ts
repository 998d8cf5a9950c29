// The options of the plugin (augment.ts adds `request.webhook` to Fastify's own request).
import type { FastifyRequest } from 'fastify';
import type { OnWebhookError, VendorChoice, VendorRef, WebhookOptions } from '@hookproof/core';

/** Options mode: verify each request of the scope in a preHandler and expose `request.webhook`. */
// `onError` is spelt exactly as in receiver mode: with one type in both shapes of the
// options union, an inline `onError` gets its parameter types (no implicit any).
export type FastifyVerifyOptions = Omit<WebhookOptions<VendorChoice>, 'onError'> & {
  readonly onError?: OnWebhookError<VendorRef>;
};

/** A receiver from createReceiver(), of any vendor (`Receiver<V>` is invariant in `V`). */
export interface AnyReceiver {
  readonly options: { readonly maxBodyBytes?: number | undefined };
  receive(request: {
    body: unknown;
    headers: FastifyRequest['headers'];
  }): Promise<{ readonly status: number; readonly body: unknown }>;
}

/** Receiver mode: verify, dedupe, dispatch and answer. */
export interface FastifyReceiverOptions {
  readonly receiver: AnyReceiver;
  readonly onError?: OnWebhookError<VendorRef>;
  /**
   * Registers `POST path`, answered by the receiver, in a scope of its own (so the plugin can
   * be registered at the root). Without it, every route of the registering scope is answered.
   */
  readonly path?: string;
}

export type HookproofFastifyOptions = FastifyVerifyOptions | FastifyReceiverOptions;
