import type { AnyWebhookEvent } from '@hookproof/core';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /**
       * The verified event, set by `webhook()` from @hookproof/express before `next()`.
       * Narrow it with `req.webhook?.vendor === 'aidelly'` and `.type === '…'`, or read the
       * exactly-typed `res.locals.webhook` in a handler mounted right after the middleware.
       */
      webhook?: AnyWebhookEvent;
    }
  }
}

export {};
