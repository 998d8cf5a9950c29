// Type tests: res.locals.webhook (exact, inferred from the middleware on the same route),
// req.webhook (every vendor, narrowed by vendor and type) and req.body.
import express, { type Request, type Response } from 'express';
import { describe, expectTypeOf, test } from 'vitest';
import { createReceiver, webhook, type WebhookLocals } from '@hookproof/express';
import type { AidellyPostPublishedData, AnyWebhookEvent, EventFor, TimbrixEnvelope, VendorId, WebhookEvent } from '@hookproof/core';

const app = express();

describe('res.locals.webhook follows the vendor option', () => {
  test('one vendor: exactly its events, narrowed by type', () => {
    app.post('/a', webhook({ vendor: 'aidelly', secret: 's' }), (req, res) => {
      expectTypeOf(res.locals.webhook).toEqualTypeOf<WebhookEvent<'aidelly'>>();
      const event = res.locals.webhook;
      if (event.type === 'post.published') expectTypeOf(event.payload.data).toEqualTypeOf<AidellyPostPublishedData>();
      expectTypeOf(req.body).toEqualTypeOf<WebhookEvent<'aidelly'>['payload']>();
    });
  });

  test('several vendors: a union narrowed by vendor, then type', () => {
    app.post('/b', webhook({ vendor: ['aidelly', 'timbrix'], secret: { aidelly: 'a', timbrix: 't' } }), (_req, res) => {
      expectTypeOf(res.locals.webhook).toEqualTypeOf<EventFor<'aidelly' | 'timbrix'>>();
      const event = res.locals.webhook;
      if (event.vendor === 'timbrix' && event.type === 'member.added') {
        expectTypeOf(event.payload).toEqualTypeOf<TimbrixEnvelope<'member.added'>>();
      }
    });
  });

  test("'auto': every built-in vendor", () => {
    app.post('/c', webhook({ vendor: 'auto', secret: 's' }), (_req, res) => {
      expectTypeOf(res.locals.webhook).toEqualTypeOf<EventFor<VendorId>>();
    });
  });

  test('a receiver carries its vendor', () => {
    expectTypeOf(webhook(createReceiver({ vendor: 'timbrix', secret: 's' }))).toEqualTypeOf(webhook({ vendor: 'timbrix', secret: 's' }));
  });

  test('works on a Router, next to other middleware', () => {
    const router = express.Router();
    router.post('/d', express.json(), webhook({ vendor: 'audenci', secret: 's' }), (_req, res) => {
      expectTypeOf(res.locals.webhook).toEqualTypeOf<WebhookEvent<'audenci'>>();
    });
  });

  test('a standalone handler types its response with WebhookLocals', () => {
    const onAidelly = (_req: Request, res: Response<unknown, WebhookLocals<'aidelly'>>) => {
      expectTypeOf(res.locals.webhook.vendor).toEqualTypeOf<'aidelly'>();
    };
    app.post('/e', webhook({ vendor: 'aidelly', secret: 's' }), onAidelly);
  });
});

describe('req.webhook on every request (declare global namespace Express)', () => {
  test('is any vendor event or undefined, and narrows', () => {
    app.post('/f', (req, res) => {
      expectTypeOf(req.webhook).toEqualTypeOf<AnyWebhookEvent | undefined>();
      const event = req.webhook;
      if (event?.vendor === 'aidelly' && event.type === 'post.published') {
        expectTypeOf(event.payload.data).toEqualTypeOf<AidellyPostPublishedData>();
      }
      res.end();
    });
  });
});

describe('options are checked by the compiler', () => {
  test('secret map keys, vendor ids, option names', () => {
    // @ts-expect-error 'audenci' is not a configured vendor
    webhook({ vendor: ['aidelly'], secret: { audenci: 'x' } });
    // @ts-expect-error not a vendor id
    webhook({ vendor: 'aidely', secret: 's' });
    // @ts-expect-error typo of toleranceSec
    webhook({ vendor: 'aidelly', secret: 's', tolerance: 5 });
  });
});
