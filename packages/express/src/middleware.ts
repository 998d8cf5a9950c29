import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { type EventFor, type Receiver, type ReceiverAdapterSettings, type ResolveVendor, type VendorChoice, type VendorId, type VendorRef, type WebhookOptions } from '@hookproof/core';
import { createWebhookEngine } from '@hookproof/core/adapter';
import { keptBody } from './body.js';
import './augment.js';

const NAME = '@hookproof/express';

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
export type WebhookMiddleware<V extends VendorRef = VendorId> = RequestHandler<WebhookParams, unknown, EventFor<V>['payload'], WebhookQuery, WebhookLocals<V>>;

/** Options of `webhook()`: core's adapter options (vendor, secret, toleranceSec, maxBodyBytes, onError, ...). */
export type ExpressWebhookOptions<V extends VendorChoice = VendorId> = WebhookOptions<V>;

/**
 * Warns once when the middleware runs outside a route: `app.use(webhook(...))` with no path
 * sees every request of the app, so `GET /health` would be answered 401. Express sets
 * `req.route` only inside `app.post(path, ...)`-style routes, `req.baseUrl` under a mount path.
 */
function unroutedWarning(receiverMode: boolean): (req: Request) => boolean {
  let warned = false;
  return (req) => {
    if (req.route !== undefined || req.baseUrl !== '') return false;
    if (warned) return true;
    warned = true;
    const what = receiverMode
      ? 'requests other than POST go on to the next handler, and every POST is verified'
      : 'every request is verified, and one that is not a signed delivery is answered 401';
    process.emitWarning(
      `webhook() is mounted with app.use() and no path, so it sees every request of the app: ${what}. Mount it on the webhook's route instead: app.post('/webhooks/<vendor>', webhook(...)).`,
      { code: 'HOOKPROOF_UNROUTED', detail: 'https://github.com/hookproof/hookproof/blob/main/docs/frameworks/express.md#mount-it-on-its-route' },
    );
    return true;
  };
}

/**
 * Verifies webhook deliveries on an Express 4 or 5 route.
 *
 * - `webhook(options)`: verifies, sets `req.webhook` / `res.locals.webhook` (and
 *   `req.body` to the parsed payload) and calls `next()`; failures are answered with
 *   `{ error, message }` and the error's status.
 * - `webhook(receiver)`: verifies, dedupes, runs the receiver's handlers and answers
 *   (2xx only after every handler succeeded).
 *
 * Invalid options throw here, at mount time, with a message naming the fix.
 */
export function webhook<V extends VendorRef>(receiver: Receiver<V>, settings?: ReceiverAdapterSettings<V>): WebhookMiddleware<V>;
export function webhook<V extends VendorChoice = VendorId>(options: ExpressWebhookOptions<V>): WebhookMiddleware<ResolveVendor<V>>;
export function webhook(source: WebhookOptions<VendorChoice> | Receiver<VendorRef>, settings?: ReceiverAdapterSettings<VendorRef>): WebhookMiddleware<VendorRef> {
  const receiverMode = typeof (source as Receiver<VendorRef> | undefined)?.receive === 'function';
  const engine = receiverMode
    ? createWebhookEngine(source as Receiver<VendorRef>, { name: NAME, onError: settings?.onError })
    : createWebhookEngine(source as WebhookOptions<VendorChoice>, { name: NAME });
  const unrouted = unroutedWarning(receiverMode);
  const middleware = (req: Request, res: Response, next: NextFunction): void => {
    // A receiver answers itself and never calls next(), so outside a route it can hand other
    // methods to the app's routes; in options mode the handlers after it rely on req.webhook.
    if (unrouted(req) && receiverMode && req.method !== 'POST') return next();
    engine.deliver(req, keptBody(req), (result, streamed) => {
      if (!result.next || result.event === undefined) return void res.status(result.status).set(result.headers).json(result.body);
      req.webhook = result.event;
      res.locals['webhook'] = result.event;
      // Like express.json(): handlers read the payload from req.body. A prior parser's body stays.
      if (streamed) req.body = result.event.payload;
      next();
    }, next);
  };
  return middleware as unknown as WebhookMiddleware<VendorRef>;
}
