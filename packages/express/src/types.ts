// The types of `webhook()` (augment.ts adds `req.webhook` to Express's own Request).
import type { Request, RequestHandler } from 'express';
import type { EventFor, VendorChoice, VendorId, VendorRef, WebhookOptions } from '@hookproof/core';

/** `res.locals` after `webhook()`: the verified event, typed by the `vendor` option. */
export interface WebhookLocals<V extends VendorRef = VendorId> {
  webhook: EventFor<V>;
}

/** Route parameters, as Express types them. */
export type WebhookParams = Request['params'];
/** The query string, as Express types it. */
export type WebhookQuery = Request['query'];

/**
 * The middleware `webhook()` returns. Its locals type flows into the handlers mounted
 * after it on the same route, so `res.locals.webhook` there is the exact event union of
 * the configured vendor(s), and `req.body` the parsed payload.
 */
export type WebhookMiddleware<V extends VendorRef = VendorId> = RequestHandler<
  WebhookParams,
  unknown,
  EventFor<V>['payload'],
  WebhookQuery,
  WebhookLocals<V>
>;

/** Options of `webhook()`: core's adapter options (vendor, secret, toleranceSec, maxBodyBytes, onError, ...). */
export type ExpressWebhookOptions<V extends VendorChoice = VendorId> = WebhookOptions<V>;
