// The delivery pipeline's extension points (docs/adapters.md): the options table at every
// entry point, receiver.dispatch for events verified elsewhere, pipeline.observe, and a
// pluggable hand-off. Signatures are computed with node:crypto in helpers.ts.
import { describe, expect, it } from 'vitest';
import { createReceiver, createVerifier, handleWebhook, verify, WebhookError } from '@hookproof/core';
import { createPipeline, createWebhookEngine, type DeliveryRecord } from '@hookproof/core/adapter';
import { handSigned, NOW_MS, sampleBodies, SECRET } from './helpers.js';

const now = () => NOW_MS;
const body = sampleBodies.aidelly;
const delivery = () => ({ body, headers: handSigned('aidelly', body) });
const TYPO = /^@hookproof: unknown option `tolerance`: did you mean `toleranceSec`\?/;

describe('one options table: a typo fails the same way at every entry point', () => {
  it('verify, createVerifier, createReceiver and the adapters engine refuse `tolerance` with the same did-you-mean', async () => {
    expect(() => verify({ vendor: 'aidelly', secret: SECRET, body, headers: {}, tolerance: 5 } as never)).toThrow(TYPO);
    expect(() => createVerifier({ vendor: 'aidelly', secret: SECRET, tolerance: 5 } as never)).toThrow(TYPO);
    expect(() => createReceiver({ vendor: 'aidelly', secret: SECRET, tolerance: 5 } as never)).toThrow(TYPO);
    expect(() => createWebhookEngine({ vendor: 'aidelly', secret: SECRET, tolerance: 5 } as never)).toThrow(TYPO);
    await expect(handleWebhook(new Request('http://x/hooks', { method: 'POST', body }), { vendor: 'aidelly', secret: SECRET, tolerance: 5 } as never)).rejects.toThrow(TYPO);
  });

  it('an option of another entry point names where it belongs', () => {
    expect(() => createVerifier({ vendor: 'aidelly', secret: SECRET, dedupe: false } as never)).toThrow(/`dedupe` belongs to a receiver/);
    expect(() => verify({ vendor: 'aidelly', secret: SECRET, body, headers: {}, bodyTimeoutMs: 5 } as never)).toThrow(/`bodyTimeoutMs` is read by the receiving side/);
    expect(() => createReceiver({ vendor: 'aidelly', secret: SECRET, onError: () => undefined } as never)).toThrow(/`onError` is an adapter option: with a receiver, use receiver\.onError/);
  });

  it('the options verify() takes still pass', async () => {
    const result = await verify({ vendor: 'aidelly', secret: SECRET, now, toleranceSec: 300, maxBodyBytes: 1 << 20, ...delivery() });
    expect(result.ok).toBe(true);
  });
});

describe('receiver.dispatch: handlers for an event verified elsewhere (a queue worker)', () => {
  it('runs the typed handlers then onAny, without verifying or deduping again', async () => {
    const receiver = createReceiver({ vendor: 'aidelly', secret: SECRET, now });
    const ran: string[] = [];
    receiver.on('post.published', () => void ran.push('typed')).onAny(() => void ran.push('any'));
    const first = await receiver.receive(delivery());
    expect(first.status).toBe(200);
    // The same event again: a delivery would be a duplicate, dispatch runs the handlers.
    const again = await receiver.dispatch(first.event!);
    expect([again.status, again.body]).toEqual([200, { ok: true, id: first.event!.id, type: 'post.published' }]);
    expect(ran).toEqual(['typed', 'any', 'typed', 'any']);
  });

  it('a failing handler is 500 handler_error, reported to onError once; never a rejection', async () => {
    const receiver = createReceiver({ vendor: 'aidelly', secret: SECRET, now });
    const { event } = await receiver.receive(delivery());
    const seen: string[] = [];
    receiver.onAny(async () => {
      throw new Error('db down');
    });
    receiver.onError((error) => void seen.push(error.code));
    const failed = await receiver.dispatch(event!);
    expect([failed.status, failed.error?.code, seen]).toEqual([500, 'handler_error', ['handler_error']]);
  });
});

describe('pipeline.observe: one record per delivery, from the one place deliveries end', () => {
  it('records the outcome, ids, secret index, dedupe outcome and durations', async () => {
    const receiver = createReceiver({ vendor: 'aidelly', secret: ['old-secret', SECRET], now });
    const records: DeliveryRecord[] = [];
    const stop = receiver.pipeline.observe((r) => void records.push(r));
    const ok = await receiver.receive(delivery());
    await receiver.receive(delivery());
    await receiver.receive({ body, headers: { 'aidelly-signature': 'sha256=00' } });
    stop();
    await receiver.receive(delivery());
    expect(records.map((r) => [r.code, r.status, r.vendor, r.dedupe])).toEqual([
      ['ok', 200, 'aidelly', 'new'],
      ['duplicate', 200, 'aidelly', 'duplicate'],
      // Refused before the dedupe stage: no dedupe outcome.
      ['malformed_signature', 401, 'aidelly', undefined],
    ]);
    expect(records[0]).toMatchObject({ id: ok.event!.id, type: 'post.published', secretIndex: 1 });
    expect(records[0]!.verifyMs).toBeGreaterThanOrEqual(0);
    expect(records[0]!.handlersMs).toBeGreaterThanOrEqual(0);
    expect(records[0]!.totalMs).toBeGreaterThanOrEqual(records[0]!.verifyMs!);
  });
});

describe('a pluggable hand-off', () => {
  it('a queue-style hand-off answers 202; a WebhookError it throws is answered as is and the claim released', async () => {
    let fail = true;
    const queued: string[] = [];
    const pipeline = createPipeline(
      { vendor: 'aidelly', secret: SECRET, now },
      {
        dedupe: true,
        handOff: (event) => {
          if (fail) throw new WebhookError('store_unavailable', 'The queue is unavailable; retry later.');
          queued.push(event.raw);
          return { status: 202, body: { ok: true, queued: true, id: event.id }, headers: { 'x-queued': '1' } };
        },
      },
    );
    const down = await pipeline.run(delivery());
    expect([down.status, down.error?.code]).toEqual([503, 'store_unavailable']);
    fail = false;
    const up = await pipeline.run(delivery());
    expect([up.status, up.headers, queued]).toEqual([202, { 'x-queued': '1' }, [body]]);
    const again = await pipeline.run(delivery());
    expect(again.error?.code).toBe('duplicate');
  });
});

describe('ports take a receiver written by hand (no pipeline)', () => {
  it('handleWebhook awaits its receive and reject', async () => {
    const real = createReceiver({ vendor: 'aidelly', secret: SECRET, now });
    const byHand = { options: real.options, receive: real.receive, reject: real.reject, on: real.on, onAny: real.onAny, onError: real.onError };
    const ok = await handleWebhook(new Request('http://x/hooks', { method: 'POST', body, headers: delivery().headers }), byHand as never);
    expect(ok.status).toBe(200);
    const get = await handleWebhook(new Request('http://x/hooks'), byHand as never);
    expect(get.status).toBe(405);
  });
});
