import type { NextFunction, Request, Response } from 'express';
import type {
  Receiver,
  ReceiverAdapterSettings,
  ResolveVendor,
  VendorChoice,
  VendorId,
  VendorRef,
  WebhookOptions,
} from '@hookproof/core';
import { engineFrom } from '@hookproof/core/adapter';
import { keptBody } from './body.js';
import type { ExpressWebhookOptions, WebhookMiddleware } from './types.js';
import './augment.js';

const NAME = '@hookproof/express';

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
    const detail = 'https://github.com/hookproof/hookproof/blob/main/docs/frameworks/express.md#mount-it-on-its-route';
    process.emitWarning(
      `webhook() is mounted with app.use() and no path, so it sees every request of the app: ${what}. ` +
        "Mount it on the webhook's route instead: app.post('/webhooks/<vendor>', webhook(...)).",
      { code: 'HOOKPROOF_UNROUTED', detail },
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
export function webhook<V extends VendorRef>(
  receiver: Receiver<V>,
  settings?: ReceiverAdapterSettings<V>,
): WebhookMiddleware<V>;
export function webhook<V extends VendorChoice = VendorId>(
  options: ExpressWebhookOptions<V>,
): WebhookMiddleware<ResolveVendor<V>>;
export function webhook(
  source: WebhookOptions<VendorChoice> | Receiver<VendorRef>,
  settings?: ReceiverAdapterSettings<VendorRef>,
): WebhookMiddleware<VendorRef> {
  const engine = engineFrom(NAME, source, settings);
  const receiverMode = engine.mode === 'receive';
  const unrouted = unroutedWarning(receiverMode);
  const middleware = (req: Request, res: Response, next: NextFunction): void => {
    // A receiver answers itself and never calls next(), so outside a route it can hand other
    // methods to the app's routes; in options mode the handlers after it rely on req.webhook.
    if (unrouted(req) && receiverMode && req.method !== 'POST') return next();
    engine.deliver(
      req,
      keptBody(req),
      (result, streamed) => {
        if (!result.next || result.event === undefined) {
          return void res.status(result.status).set(result.headers).json(result.body);
        }
        req.webhook = result.event;
        res.locals['webhook'] = result.event;
        // Like express.json(): handlers read the payload from req.body. A prior parser's body stays.
        if (streamed) req.body = result.event.payload;
        next();
      },
      next,
    );
  };
  return middleware as unknown as WebhookMiddleware<VendorRef>;
}
