import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { type EventFor, type Receiver, type ReceiverAdapterSettings, type ResolveVendor, type VendorChoice, type VendorId, type VendorRef, type WebhookOptions } from '@hookproof/core';
import { createWebhookEngine, type EngineResult } from '@hookproof/core/adapter';
import { readRawBody, type RawRead } from './body.js';
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
 * Warns once per middleware when it runs outside a route: `app.use(webhook(...))` (or
 * `router.use`) with no path sees every request of the app, so `GET /health` would be
 * answered 401. Express sets `req.route` only inside `app.post(path, ...)`-style routes, and
 * `req.baseUrl` only under a mount path.
 */
function unroutedWarning(receiverMode: boolean): (req: Request) => boolean {
  let warned = false;
  return (req) => {
    if (req.route !== undefined || req.baseUrl !== '') return false;
    if (!warned) {
      warned = true;
      process.emitWarning(
        `webhook() is mounted with app.use() and no path, so it sees every request of the app: ${
          receiverMode ? 'requests other than POST go on to the next handler, and every POST is verified' : 'every request is verified, and one that is not a signed delivery is answered 401'
        }. Mount it on the webhook's route instead: app.post('/webhooks/<vendor>', webhook(...)).`,
        { code: 'HOOKPROOF_UNROUTED', detail: 'https://github.com/hookproof/hookproof/blob/main/docs/frameworks/express.md#mount-it-on-its-route' },
      );
    }
    return true;
  };
}

function send(res: Response, result: EngineResult<VendorRef>): void {
  res.status(result.status).set(result.headers).json(result.body);
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
export function webhook(
  source: WebhookOptions<VendorChoice> | Receiver<VendorRef>,
  settings?: ReceiverAdapterSettings<VendorRef>,
): WebhookMiddleware<VendorRef> {
  const receiverMode = typeof (source as Receiver<VendorRef> | undefined)?.receive === 'function';
  const engine = receiverMode
    ? createWebhookEngine(source as Receiver<VendorRef>, { name: NAME, onError: settings?.onError })
    : createWebhookEngine(source as WebhookOptions<VendorChoice>, { name: NAME });
  const unrouted = unroutedWarning(receiverMode);

  function answer(req: Request, res: Response, next: NextFunction, read: RawRead, result: EngineResult<VendorRef>): void {
    if (result.next && result.event !== undefined) {
      req.webhook = result.event;
      res.locals['webhook'] = result.event;
      // Like express.json(): handlers read the payload from req.body. A prior parser's body stays.
      if (read.ok && !read.kept) req.body = result.event.payload;
      next();
      return;
    }
    send(res, result);
  }

  function settle(req: Request, res: Response, next: NextFunction, read: RawRead, result: EngineResult<VendorRef>): void {
    try {
      answer(req, res, next, read, result);
    } catch (error) {
      // Defence in depth (a custom onError body JSON cannot serialise, ...): the app's error handler, never an uncaught exception.
      next(error);
    }
  }

  // Callbacks, and a promise only where the engine has one (a secret from a function, async
  // handlers): every promise on the path of a delivery is measurable under load (bench/adapters).
  const middleware = (req: Request, res: Response, next: NextFunction): void => {
    // Vendors deliver with POST. A receiver answers itself and never calls next(), so outside
    // a route it can hand other methods to the app's own routes; in options mode the handlers
    // after it rely on req.webhook, so every request still has to pass the check.
    if (unrouted(req) && receiverMode && req.method !== 'POST') return next();
    readRawBody(req, engine, (read) => {
      const out = read.ok ? engine.handleNow({ body: read.body, headers: req.headers, remoteAddress: req.socket.remoteAddress }) : engine.fail(read.error);
      if (out instanceof Promise) out.then((result) => settle(req, res, next, read, result), next);
      else settle(req, res, next, read, out);
    });
  };
  return middleware as unknown as WebhookMiddleware<VendorRef>;
}
