// Type tests: an inline onError gets its parameter types in both option shapes.
import Fastify from 'fastify';
import { describe, expectTypeOf, test } from 'vitest';
import { createReceiver, type AnyWebhookEvent, type WebhookError } from '@hookproof/core';
import { hookproof } from '@hookproof/fastify';

describe('onError parameter types', () => {
  test('options mode: error and event are typed, not implicitly any', () => {
    const app = Fastify();
    void app.register(hookproof, {
      vendor: 'aidelly',
      secret: 's',
      onError: (error, event) => {
        expectTypeOf(error).toEqualTypeOf<WebhookError>();
        expectTypeOf(event).toEqualTypeOf<AnyWebhookEvent | undefined>();
        return { status: error.status };
      },
    });
  });
  test('receiver mode: the same parameter types', () => {
    const app = Fastify();
    void app.register(hookproof, {
      receiver: createReceiver({ vendor: 'aidelly', secret: 's' }),
      onError: (error, event) => {
        expectTypeOf(error).toEqualTypeOf<WebhookError>();
        expectTypeOf(event).toEqualTypeOf<AnyWebhookEvent | undefined>();
      },
    });
  });
});
