// Type tests for the adapter engine: the event type follows the `vendor` option.
import { describe, expectTypeOf, test } from 'vitest';
import { createReceiver, defineVendor, vendors, type AidellyPostPublishedData, type AnyWebhookEvent, type EventFor, type UndocumentedEvent, type VendorId, type VendorProfile, type WebhookEvent } from '@hookproof/core';
import { createWebhookEngine } from '@hookproof/core/adapter';

type EventOfEngine<E extends { handle(...args: never[]): PromiseLike<{ event?: unknown }> | { event?: unknown } }> = Awaited<ReturnType<E['handle']>>['event'];

describe('createWebhookEngine infers the vendor', () => {
  test('one vendor id', () => {
    const engine = createWebhookEngine({ vendor: 'aidelly', secret: 's' });
    expectTypeOf<EventOfEngine<typeof engine>>().toEqualTypeOf<WebhookEvent<'aidelly'> | undefined>();
  });

  test('a list of vendors: a union, narrowed by vendor then type', () => {
    const engine = createWebhookEngine({ vendor: ['aidelly', 'timbrix'], secret: 's' });
    expectTypeOf<EventOfEngine<typeof engine>>().toEqualTypeOf<EventFor<'aidelly' | 'timbrix'> | undefined>();
    const e = {} as EventFor<'aidelly' | 'timbrix'>;
    if (e.vendor === 'aidelly' && e.type === 'post.published') {
      expectTypeOf(e.payload.data).toEqualTypeOf<AidellyPostPublishedData>();
    }
    if (e.vendor === 'timbrix') expectTypeOf(e).toEqualTypeOf<WebhookEvent<'timbrix'>>();
  });

  test("'auto' means every built-in vendor", () => {
    const engine = createWebhookEngine({ vendor: 'auto', secret: 's' });
    expectTypeOf<EventOfEngine<typeof engine>>().toEqualTypeOf<EventFor<VendorId> | undefined>();
  });

  test('a receiver carries its vendor', () => {
    const engine = createWebhookEngine(createReceiver({ vendor: 'timbrix', secret: 's' }));
    expectTypeOf<EventOfEngine<typeof engine>>().toEqualTypeOf<WebhookEvent<'timbrix'> | undefined>();
  });

  test('a custom profile keeps its own events', () => {
    const acme = defineVendor<{ 'ping.sent': { id: string } }, 'acme'>({ ...vendors.timbrix, id: 'acme', name: 'Acme', docsUrl: 'x', events: ['ping.sent'] });
    const engine = createWebhookEngine({ vendor: acme, secret: 's' });
    expectTypeOf<EventOfEngine<typeof engine>>().toEqualTypeOf<WebhookEvent<VendorProfile<'acme', { 'ping.sent': { id: string } }>> | undefined>();
  });
});

describe('options are checked by the compiler', () => {
  test('a secret map is keyed by the configured vendor ids', () => {
    createWebhookEngine({ vendor: ['aidelly', 'timbrix'], secret: { aidelly: 'a', timbrix: ['b', 'c'] } });
    // @ts-expect-error 'audenci' is not one of the configured vendors
    createWebhookEngine({ vendor: ['aidelly'], secret: { audenci: 'a' } });
  });

  test('a secret function gets the vendor id', () => {
    createWebhookEngine({
      vendor: ['aidelly', 'timbrix'],
      secret: async (vendor) => {
        expectTypeOf(vendor).toEqualTypeOf<'aidelly' | 'timbrix'>();
        return 's';
      },
    });
  });

  test('onError sees the typed event', () => {
    createWebhookEngine({
      vendor: 'aidelly',
      secret: 's',
      onError: (error, event) => {
        expectTypeOf(error.code).toBeString();
        expectTypeOf(event).toEqualTypeOf<WebhookEvent<'aidelly'> | undefined>();
        return { status: 400 };
      },
    });
  });
});

describe('AnyWebhookEvent', () => {
  test('narrows to a documented event by vendor and type', () => {
    const e = {} as AnyWebhookEvent;
    if (e.vendor === 'aidelly' && e.type === 'post.published') {
      expectTypeOf(e.payload.data).toEqualTypeOf<AidellyPostPublishedData>();
    }
    // Events of your own profiles are in it too, as undocumented ones with a string vendor.
    expectTypeOf<UndocumentedEvent<VendorProfile>>().toMatchTypeOf<AnyWebhookEvent>();
  });
});

describe('createReceiver secret functions', () => {
  test('get the vendor id, may be async, and must return secrets', () => {
    createReceiver({
      vendor: 'timbrix',
      secret: async (vendor) => {
        expectTypeOf(vendor).toEqualTypeOf<'timbrix'>();
        return ['current', 'previous'];
      },
      secretCacheMs: 60_000,
    });
    // @ts-expect-error a secret function returns strings, not numbers
    createReceiver({ vendor: 'aidelly', secret: () => 42 });
  });
});
