import type { AnyWebhookEvent } from '@hookproof/core';

declare module 'koa' {
  interface DefaultState {
    /**
     * The verified event, set by `webhook()` from @hookproof/koa before `next()`. Narrow it
     * with `ctx.state.webhook?.vendor === 'aidelly'`, or chain `app.use(webhook(...)).use(...)`
     * (or type the context as `ParameterizedContext<WebhookState<'aidelly'>>`) for the exact type.
     */
    webhook?: AnyWebhookEvent;
  }
}

export {};
