import type { Middleware, Next, ParameterizedContext } from 'koa';
import type {
  EventFor,
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
import { KoaLog } from './log.js';

const NAME = '@hookproof/koa';

/** `ctx.state` after `webhook()`: the verified event, typed by the `vendor` option. */
export interface WebhookState<V extends VendorRef = VendorId> {
  webhook: EventFor<V>;
}

/** The middleware `webhook()` returns; `app.use()` carries its state type to the middleware chained after it. */
export type WebhookMiddleware<V extends VendorRef = VendorId> = Middleware<WebhookState<V>>;

/** Options of `webhook()`: core's adapter options (vendor, secret, toleranceSec, maxBodyBytes, onError, ...). */
export type KoaWebhookOptions<V extends VendorChoice = VendorId> = WebhookOptions<V>;

type Ctx = ParameterizedContext<WebhookState<VendorRef>>;

/**
 * Verifies webhook deliveries in a Koa 2 or 3 app, with or without `@koa/bodyparser`
 * mounted first.
 *
 * - `webhook(options)`: verifies, sets `ctx.state.webhook` (and `ctx.request.body` to the
 *   parsed payload when it read the body itself) and awaits `next()`; failures are
 *   answered with `{ error, message }` and the error's status.
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
  options: KoaWebhookOptions<V>,
): WebhookMiddleware<ResolveVendor<V>>;
export function webhook(
  source: WebhookOptions<VendorChoice> | Receiver<VendorRef>,
  settings?: ReceiverAdapterSettings<VendorRef>,
): WebhookMiddleware<VendorRef> {
  const engine = engineFrom(NAME, source, settings);

  // One promise per delivery (Koa wants one back) around core's callbacks: every promise on
  // the path of a delivery is measurable (bench/README.md#the-synchronous-path).
  return function hookproofWebhook(ctx: Ctx, next: Next): Promise<void> {
    const request = ctx.request as typeof ctx.request & { rawBody?: unknown; body?: unknown };
    return new Promise<void>((resolve, reject) => {
      engine.deliver(
        ctx.req,
        keptBody(ctx.req, request),
        (result, streamed) => {
          if (!result.next || result.event === undefined) {
            ctx.status = result.status;
            ctx.set(result.headers);
            ctx.body = result.body;
            return resolve();
          }
          ctx.state.webhook = result.event;
          // Like @koa/bodyparser: handlers find the payload on ctx.request.body. A prior parser's body stays.
          if (streamed) request.body = result.event.payload;
          // The rest of the chain settles this middleware, as `await next()` would.
          resolve(next());
        },
        reject,
        new KoaLog(ctx as unknown as ParameterizedContext),
      );
    });
  };
}
