// Type tests: ctx.state.webhook, exact through app.use() chains, any vendor elsewhere.
import Koa, { type ParameterizedContext } from 'koa';
import { describe, expectTypeOf, test } from 'vitest';
import { createReceiver, webhook, type WebhookState } from '@hookproof/koa';
import type { AidellyPostPublishedData, EventFor, TimbrixEnvelope, VendorId, WebhookEvent } from '@hookproof/core';

describe('ctx.state.webhook follows the vendor option through app.use()', () => {
  test('one vendor: exactly its events, narrowed by type', () => {
    new Koa().use(webhook({ vendor: 'aidelly', secret: 's' })).use((ctx) => {
      expectTypeOf(ctx.state.webhook).toEqualTypeOf<WebhookEvent<'aidelly'>>();
      const event = ctx.state.webhook;
      if (event.type === 'post.published') expectTypeOf(event.payload.data).toEqualTypeOf<AidellyPostPublishedData>();
    });
  });

  test('several vendors: a union narrowed by vendor, then type', () => {
    new Koa().use(webhook({ vendor: ['aidelly', 'timbrix'], secret: { aidelly: 'a', timbrix: 't' } })).use((ctx) => {
      const event = ctx.state.webhook;
      expectTypeOf(event).toEqualTypeOf<EventFor<'aidelly' | 'timbrix'>>();
      if (event.vendor === 'timbrix' && event.type === 'member.added') expectTypeOf(event.payload).toEqualTypeOf<TimbrixEnvelope<'member.added'>>();
    });
  });

  test("'auto' and receivers", () => {
    new Koa().use(webhook({ vendor: 'auto', secret: 's' })).use((ctx) => {
      expectTypeOf(ctx.state.webhook).toEqualTypeOf<EventFor<VendorId>>();
    });
    new Koa().use(webhook(createReceiver({ vendor: 'timbrix', secret: 's' }))).use((ctx) => {
      expectTypeOf(ctx.state.webhook).toEqualTypeOf<WebhookEvent<'timbrix'>>();
    });
  });

  test('WebhookState types a standalone middleware', () => {
    const onAidelly = (ctx: ParameterizedContext<WebhookState<'aidelly'>>) => {
      expectTypeOf(ctx.state.webhook.vendor).toEqualTypeOf<'aidelly'>();
    };
    new Koa().use(webhook({ vendor: 'aidelly', secret: 's' })).use(onAidelly);
  });
});

describe('options', () => {
  test('options are checked by the compiler', () => {
    // @ts-expect-error 'audenci' is not a configured vendor
    webhook({ vendor: ['aidelly'], secret: { audenci: 'x' } });
    // @ts-expect-error typo of maxBodyBytes
    webhook({ vendor: 'aidelly', secret: 's', maxBody: 10 });
  });
});
