// createReceiver({ queue }): the hand-off stage without Redis (a queue written here):
// 202 only after the write resolved, 503 + Retry-After when it failed or hung, the claim
// released either way, and processQueued for the worker side. Deliveries are signed with
// plain node:crypto.
import { describe, expect, it } from 'vitest';
import { createMemoryStore, createReceiver, type QueuedDelivery, type WebhookQueue } from '@hookproof/core';
import { canProcessQueued, processQueued } from '@hookproof/core/adapter';
import { deferred, handSigned, NOW_MS, sampleBodies, SECRET } from './helpers.js';

const now = () => NOW_MS;
const body = sampleBodies.aidelly;

function fakeQueue(write: (delivery: QueuedDelivery) => Promise<void> = async () => undefined, timeoutMs?: number) {
  const written: QueuedDelivery[] = [];
  const queue: WebhookQueue = {
    timeoutMs,
    async enqueue(delivery) {
      await write(delivery);
      written.push(delivery);
    },
    close: async () => undefined,
  };
  return { queue, written };
}

describe('createReceiver({ queue })', () => {
  it('answers 202 { ok, queued, id, type } once the write resolved; no handler runs in the request', async () => {
    const gate = deferred<void>();
    const { queue, written } = fakeQueue(() => gate.promise);
    const calls: string[] = [];
    const receiver = createReceiver({ vendor: 'aidelly', secret: SECRET, now, queue, requiredHeaders: { 'x-app-token': 'tok_secret' } }).onAny((e) => void calls.push(e.id));
    let settled = false;
    const pending = receiver.receive({ body, headers: { ...handSigned('aidelly', body), authorization: 'Bearer x', 'x-app-token': 'tok_secret', 'x-trace': ['a', 'b'] } }).then((r) => {
      settled = true;
      return r;
    });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(settled).toBe(false); // no answer before the queue confirmed the write
    gate.resolve();
    const result = await pending;
    expect(result.status).toBe(202);
    expect(result.body).toEqual({ ok: true, queued: true, id: result.event!.id, type: 'post.published' });
    expect(calls).toEqual([]);
    expect(written).toHaveLength(1);
    const job = written[0]!;
    expect(job).toMatchObject({ vendor: 'aidelly', id: result.event!.id, type: 'post.published', documented: true, idSource: 'body-digest', raw: body, receivedAt: NOW_MS });
    // Secrets never reach the queue: authorization and the requiredHeaders are not stored.
    expect(job.headers).not.toHaveProperty('authorization');
    expect(job.headers).not.toHaveProperty('x-app-token');
    expect(job.headers['x-trace']).toBe('a, b');
    expect(job.headers['aidelly-signature']).toMatch(/^sha256=/);
  });

  it('a failed write: 503 queue_unavailable with Retry-After, the claim released so the retry is written', async () => {
    let fail = true;
    const { queue, written } = fakeQueue(async () => {
      if (fail) throw new Error('ECONNREFUSED');
    });
    const store = createMemoryStore({ now });
    const errors: string[] = [];
    const receiver = createReceiver({ vendor: 'aidelly', secret: SECRET, now, queue, dedupe: store }).onError((e) => void errors.push(e.code));
    const refused = await receiver.receive({ body, headers: handSigned('aidelly', body) });
    expect([refused.status, refused.body, refused.headers]).toEqual([503, { error: 'queue_unavailable', message: 'The delivery could not be queued; retry later.' }, { 'retry-after': '5' }]);
    expect((refused.error?.cause as Error).message).toBe('ECONNREFUSED');
    expect(errors).toEqual(['queue_unavailable']);
    fail = false;
    const retried = await receiver.receive({ body, headers: handSigned('aidelly', body) });
    expect(retried.status).toBe(202);
    expect(written).toHaveLength(1);
  });

  it('a write that hangs: 503 after queue.timeoutMs, not after the vendor gave up', async () => {
    const { queue } = fakeQueue(() => new Promise(() => undefined), 50);
    const receiver = createReceiver({ vendor: 'aidelly', secret: SECRET, now, queue });
    const started = Date.now();
    const result = await receiver.receive({ body, headers: handSigned('aidelly', body) });
    expect([result.status, result.body]).toEqual([503, { error: 'queue_unavailable', message: 'The delivery could not be queued in time; retry later.' }]);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('a bad signature never reaches the queue', async () => {
    const { queue, written } = fakeQueue();
    const receiver = createReceiver({ vendor: 'aidelly', secret: SECRET, now, queue });
    const result = await receiver.receive({ body: body.replace('published', 'canceled'), headers: handSigned('aidelly', body) });
    expect(result.status).toBe(401);
    expect(written).toEqual([]);
  });

  it('processQueued runs the handlers on the rebuilt event, then marks it done: the next delivery is a duplicate', async () => {
    const { queue, written } = fakeQueue();
    const store = createMemoryStore({ now });
    const seen: unknown[] = [];
    const receiver = createReceiver({ vendor: 'aidelly', secret: SECRET, now, queue, dedupe: store })
      .on('post.published', (e) => void seen.push(['published', e.id, e.payload.data.platform_post_id]))
      .onAny((e) => void seen.push(['any', e.documented]));
    expect(canProcessQueued(receiver)).toBe(true);
    await receiver.receive({ body, headers: handSigned('aidelly', body) });
    await processQueued(receiver, written[0]!);
    expect(seen).toEqual([['published', written[0]!.id, 'urn:li:share:1'], ['any', true]]);
    const again = await receiver.receive({ body, headers: handSigned('aidelly', body) });
    expect([again.status, again.body]).toEqual([200, { error: 'duplicate', message: 'This event was already processed.' }]);
  });

  it('processQueued rejects with what the handler threw, reports it, and leaves the event not done', async () => {
    const { queue, written } = fakeQueue();
    const store = createMemoryStore({ now });
    const errors: string[] = [];
    const receiver = createReceiver({ vendor: 'aidelly', secret: SECRET, now, queue, dedupe: store })
      .onAny(() => {
        throw new Error('CRM down');
      })
      .onError((e) => void errors.push(e.message));
    await receiver.receive({ body, headers: handSigned('aidelly', body) });
    await expect(processQueued(receiver, written[0]!, { attempt: 1, last: false })).rejects.toThrow('CRM down');
    expect(errors).toEqual(['The event handler failed on attempt 1; the worker will retry.']);
    expect(await store.claim(`aidelly:${written[0]!.id}`, 1000)).toBe('new');
  });

  it('setup: a queue without enqueue/close, or with handlerTimeoutMs/earlyAck, is a TypeError naming the fix', () => {
    expect(() => createReceiver({ vendor: 'aidelly', secret: SECRET, queue: {} as WebhookQueue })).toThrow(/`queue` must be a WebhookQueue \(\{ enqueue, close \}\), e\.g\. bullmqQueue/);
    expect(() => createReceiver({ vendor: 'aidelly', secret: SECRET, queue: fakeQueue().queue, handlerTimeoutMs: 5000 })).toThrow(/remove `handlerTimeoutMs` and `earlyAck`/);
    expect(() => createReceiver({ vendor: 'aidelly', secret: SECRET, queue: fakeQueue(undefined, -1).queue })).toThrow(/`queue.timeoutMs` must be a positive number/);
    const plain = createReceiver({ vendor: 'aidelly', secret: SECRET });
    expect(canProcessQueued(plain)).toBe(false);
    return expect(processQueued(plain, {} as QueuedDelivery)).rejects.toThrow(/pass the receiver created with createReceiver\(\{ \.\.\., queue \}\)/);
  });

  it('the receiver shows its queue redacted', () => {
    const receiver = createReceiver({ vendor: 'aidelly', secret: SECRET, queue: fakeQueue().queue });
    expect(JSON.stringify(receiver)).toContain('"queue":"[WebhookQueue]"');
  });
});

describe('options mode', () => {
  it('`queue` belongs to a receiver: options mode (verify only) refuses it with the fix', async () => {
    const { createWebhookEngine } = await import('@hookproof/core/adapter');
    expect(() => createWebhookEngine({ vendor: 'aidelly', secret: SECRET, queue: fakeQueue().queue } as never)).toThrow(/`queue` belongs to a receiver: pass createReceiver\(\{ vendor, secret, queue \}\)/);
  });
});
