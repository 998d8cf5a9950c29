// Type tests: checked by `tsc` through vitest's typecheck mode, never executed.
import { describe, expectTypeOf, test } from 'vitest';
import {
  createReceiver,
  defineVendor,
  handleWebhook,
  vendors,
  verify,
  type AidellyPostPublishedData,
  type AudenciPostPublishedData,
  type EventOf,
  type EventsOf,
  type EventType,
  type KnownEvent,
  type UndocumentedEvent,
  type UndocumentedType,
  type VendorProfile,
  type WebhookEvent,
} from '@hookproof/core';

declare const aidellyEvent: WebhookEvent<'aidelly'>;
declare const audenciEvent: WebhookEvent<'audenci'>;
declare const autopostingEvent: WebhookEvent<'autoposting'>;
declare const timbrixEvent: WebhookEvent<'timbrix'>;

describe('narrowing on type', () => {
  test('aidelly post.published gives the documented payload, no cast', () => {
    const e = aidellyEvent;
    if (e.type === 'post.published') {
      expectTypeOf(e.payload.data).toEqualTypeOf<AidellyPostPublishedData>();
      expectTypeOf(e.payload.data.platform_post_id).toEqualTypeOf<string>();
      expectTypeOf(e.payload.event).toEqualTypeOf<'post.published'>();
      expectTypeOf(e.documented).toEqualTypeOf<true>();
      expectTypeOf(e.vendor).toEqualTypeOf<'aidelly'>();
    }
  });

  test('other aidelly events keep their undocumented fields optional', () => {
    const e = aidellyEvent;
    if (e.type === 'post.failed') {
      expectTypeOf(e.payload.data.platform_post_id).toEqualTypeOf<string | undefined>();
    }
  });

  test('audenci post.published gives the documented payload', () => {
    const e = audenciEvent;
    if (e.type === 'post.published') {
      expectTypeOf(e.payload.data).toEqualTypeOf<AudenciPostPublishedData>();
      expectTypeOf(e.payload.data.platforms).toEqualTypeOf<readonly string[]>();
      expectTypeOf(e.payload.organizationId).toEqualTypeOf<string>();
      expectTypeOf(e.payload.userId).toEqualTypeOf<string | undefined>();
    }
  });

  test('autoposting envelope carries its event id', () => {
    const e = autopostingEvent;
    if (e.type === 'clip.render.completed') {
      expectTypeOf(e.payload.id).toEqualTypeOf<string>();
      expectTypeOf(e.payload.event).toEqualTypeOf<'clip.render.completed'>();
      expectTypeOf(e.payload.data).toEqualTypeOf<{ readonly [key: string]: unknown }>();
    }
  });

  test('switch narrows each case', () => {
    const e = timbrixEvent;
    switch (e.type) {
      case 'member.added':
        expectTypeOf(e).toEqualTypeOf<EventOf<'timbrix', 'member.added'>>();
        break;
      case 'webhook.created':
        expectTypeOf(e.payload.event).toEqualTypeOf<'webhook.created' | undefined>();
        break;
      default:
        break;
    }
  });

  test('the union lists every documented name plus the undocumented type', () => {
    expectTypeOf<WebhookEvent<'aidelly'>['type']>().toEqualTypeOf<
      'post.created' | 'post.scheduled' | 'post.published' | 'post.failed' | 'post.canceled' | UndocumentedType
    >();
    expectTypeOf<EventType<'autoposting'>>().toEqualTypeOf<
      | 'post.published'
      | 'post.failed'
      | 'post.scheduled'
      | 'clip.render.completed'
      | 'clip.render.failed'
      | 'agent.run.completed'
      | 'agent.run.failed'
    >();
  });
});

describe('WebhookEvent without a vendor argument', () => {
  test('is any built-in vendor event, narrowed by vendor then type', () => {
    expectTypeOf<WebhookEvent<'aidelly'>>().toMatchTypeOf<WebhookEvent>();
    expectTypeOf<WebhookEvent<'timbrix'>>().toMatchTypeOf<WebhookEvent>();
    const e = {} as WebhookEvent;
    if (e.vendor === 'aidelly' && e.type === 'post.published') {
      expectTypeOf(e.payload.data.platform_post_id).toEqualTypeOf<string>();
    }
    if (e.vendor === 'timbrix' && e.type === 'member.added') {
      expectTypeOf(e).toEqualTypeOf<EventOf<'timbrix', 'member.added'>>();
    }
  });
});

describe('undocumented events', () => {
  test('do not widen a narrowed payload', () => {
    const e = autopostingEvent;
    if (e.type === 'post.published') {
      // Exactly the documented member: the undocumented one was excluded.
      expectTypeOf(e).toEqualTypeOf<EventOf<'autoposting', 'post.published'>>();
      expectTypeOf(e).not.toMatchTypeOf<UndocumentedEvent<'autoposting'>>();
    }
  });

  test('are told apart by `documented: false`', () => {
    const e = autopostingEvent;
    if (!e.documented) {
      expectTypeOf(e).toEqualTypeOf<UndocumentedEvent<'autoposting'>>();
      expectTypeOf(e.payload).toEqualTypeOf<{ readonly [key: string]: unknown }>();
      // The name is usable as a string.
      expectTypeOf(String(e.type)).toEqualTypeOf<string>();
      expectTypeOf(e.type.startsWith('post.')).toEqualTypeOf<boolean>();
    } else {
      expectTypeOf(e.type).toEqualTypeOf<EventType<'autoposting'>>();
    }
  });

  test('an undocumented type is not assignable to a documented name', () => {
    expectTypeOf<UndocumentedType>().not.toMatchTypeOf<'post.published'>();
    expectTypeOf<'post.published'>().not.toMatchTypeOf<UndocumentedType>();
  });

  test('comparing with a misspelt name is a compile error', () => {
    const e = aidellyEvent;
    // @ts-expect-error 'post.publishd' is no aidelly event name
    if (e.type === 'post.publishd') return;
    // Matching an undocumented name goes through its string form.
    if (String(e.type) === 'post.partial') return;
  });
});

describe('receiver', () => {
  test('.on narrows the handler argument', () => {
    const receiver = createReceiver({ vendor: 'aidelly', secret: 's' });
    receiver.on('post.published', (event) => {
      expectTypeOf(event.payload.data.platform_post_id).toEqualTypeOf<string>();
      expectTypeOf(event.type).toEqualTypeOf<'post.published'>();
    });
    receiver.on(['post.failed', 'post.canceled'], (event) => {
      expectTypeOf(event.type).toEqualTypeOf<'post.failed' | 'post.canceled'>();
    });
    receiver.onAny((event) => {
      expectTypeOf(event).toEqualTypeOf<WebhookEvent<'aidelly'>>();
    });
  });

  test('a misspelt event name in .on() is a compile error', () => {
    const receiver = createReceiver({ vendor: 'aidelly', secret: 's' });
    // @ts-expect-error misspelt: 'post.publishd'
    receiver.on('post.publishd', () => undefined);
    // @ts-expect-error an Audenci name is not an Aidelly one
    receiver.on('campaign.started', () => undefined);
    // @ts-expect-error an undocumented name cannot be subscribed with .on(); use .onAny()
    receiver.on('post.partial', () => undefined);
  });

  test('on() chains', () => {
    const receiver = createReceiver({ vendor: 'timbrix', secret: 's' });
    expectTypeOf(receiver.on('member.added', () => undefined).onAny(() => undefined)).toEqualTypeOf(receiver);
  });
});

describe('verify', () => {
  test('infers the vendor from the literal', async () => {
    const result = await verify({ vendor: 'audenci', secret: 's', body: '', headers: {} });
    if (result.ok) {
      expectTypeOf(result.event).toEqualTypeOf<WebhookEvent<'audenci'>>();
      expectTypeOf(result.secretIndex).toEqualTypeOf<number>();
    } else {
      expectTypeOf(result.error.code).toBeString();
      expectTypeOf(result.error.status).toEqualTypeOf<number>();
    }
  });

  test('headers accept Fetch Headers, IncomingHttpHeaders and plain records', () => {
    void verify({ vendor: 'aidelly', secret: 's', body: '', headers: new Headers() });
    void verify({ vendor: 'aidelly', secret: 's', body: '', headers: { 'aidelly-signature': ['a', 'b'] } });
    // @ts-expect-error unknown vendor id
    void verify({ vendor: 'acme', secret: 's', body: '', headers: {} });
  });
});

describe('defineVendor', () => {
  interface AcmeEvents {
    'invoice.paid': { readonly event: 'invoice.paid'; readonly data: { readonly amount: number; readonly currency: string } };
    'invoice.voided': { readonly event: 'invoice.voided'; readonly data: { readonly reason?: string } };
  }
  const acme = defineVendor<AcmeEvents, 'acme'>({ ...vendors.timbrix, id: 'acme', name: 'Acme', docsUrl: 'https://acme.test/webhooks', signatureHeader: 'X-Acme-Signature', events: ['invoice.paid', 'invoice.voided'] });

  test('the profile carries its event map', () => {
    expectTypeOf(acme).toEqualTypeOf<VendorProfile<'acme', AcmeEvents>>();
    expectTypeOf<EventsOf<typeof acme>>().toEqualTypeOf<AcmeEvents>();
    expectTypeOf<EventType<typeof acme>>().toEqualTypeOf<'invoice.paid' | 'invoice.voided'>();
  });

  test('verify and the receiver are typed by it', async () => {
    const result = await verify({ vendor: acme, secret: 's', body: '', headers: {} });
    if (result.ok && result.event.type === 'invoice.paid') {
      expectTypeOf(result.event.payload.data.amount).toEqualTypeOf<number>();
      expectTypeOf(result.event.vendor).toEqualTypeOf<'acme'>();
    }
    const receiver = createReceiver({ vendor: acme, secret: 's' });
    receiver.on('invoice.voided', (event) => {
      expectTypeOf(event).toEqualTypeOf<KnownEvent<typeof acme, 'invoice.voided', AcmeEvents['invoice.voided']>>();
    });
    // @ts-expect-error not an Acme event
    receiver.on('member.added', () => undefined);
  });

  test('handleWebhook takes the same options', () => {
    expectTypeOf(handleWebhook(new Request('http://127.0.0.1/'), { vendor: acme, secret: 's' })).resolves.toEqualTypeOf<Response>();
  });
});

describe('defineVendor keeps the typed events of a spread built-in', () => {
  test('infers the id and event map without type arguments', () => {
    const custom = defineVendor({ ...vendors.timbrix, typeFields: ['kind'] });
    expectTypeOf<EventType<typeof custom>>().toEqualTypeOf<EventType<'timbrix'>>();
    expectTypeOf(custom.id).toEqualTypeOf<'timbrix'>();
  });
});
