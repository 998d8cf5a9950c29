// Type tests: request.webhook is exact when the route names its vendor(s) in the
// `Webhook` generic, and any vendor's event (or undefined) otherwise.
import Fastify, { type FastifyRequest } from 'fastify';
import { describe, expectTypeOf, test } from 'vitest';
import hookproof, { createReceiver } from '@hookproof/fastify';
import type { AidellyPostPublishedData, AnyWebhookEvent, EventFor, TimbrixEnvelope, WebhookEvent } from '@hookproof/core';

const app = Fastify();

describe('request.webhook', () => {
  test('a route generic { Webhook } gives exactly that vendor, narrowed by type', () => {
    app.post<{ Webhook: 'aidelly' }>('/a', async (request) => {
      expectTypeOf(request.webhook).toEqualTypeOf<WebhookEvent<'aidelly'>>();
      const event = request.webhook;
      if (event.type === 'post.published') expectTypeOf(event.payload.data).toEqualTypeOf<AidellyPostPublishedData>();
    });
  });

  test('several vendors: a union narrowed by vendor, then type; other generics still work', () => {
    app.post<{ Webhook: 'aidelly' | 'timbrix'; Params: { id: string } }>('/b/:id', async (request) => {
      expectTypeOf(request.params.id).toEqualTypeOf<string>();
      const event = request.webhook;
      expectTypeOf(event).toEqualTypeOf<EventFor<'aidelly' | 'timbrix'>>();
      if (event.vendor === 'timbrix' && event.type === 'member.added') expectTypeOf(event.payload).toEqualTypeOf<TimbrixEnvelope<'member.added'>>();
    });
  });

  test('without it: any vendor event or undefined, narrowed by vendor', () => {
    app.post('/c', async (request) => {
      expectTypeOf(request.webhook).toEqualTypeOf<AnyWebhookEvent | undefined>();
    });
    const describe = (request: FastifyRequest) => {
      const event = request.webhook;
      if (event?.vendor === 'aidelly' && event.type === 'post.published') expectTypeOf(event.payload.data).toEqualTypeOf<AidellyPostPublishedData>();
    };
    expectTypeOf(describe).parameter(0).toEqualTypeOf<FastifyRequest>();
  });
});

describe('register options', () => {
  test('options or a receiver of any vendor', () => {
    app.register(hookproof, { vendor: 'aidelly', secret: 's' });
    app.register(hookproof, { vendor: ['aidelly', 'timbrix'], secret: { aidelly: 'a', timbrix: 't' }, maxBodyBytes: 10 });
    app.register(hookproof, { receiver: createReceiver({ vendor: 'timbrix', secret: 's' }), path: '/hooks' });
    // @ts-expect-error not a vendor
    app.register(hookproof, { vendor: 'aidely', secret: 's' });
  });
});
