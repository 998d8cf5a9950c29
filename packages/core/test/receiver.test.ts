// createReceiver: dispatch order, no lost events (handler failure -> 5xx and the retry is
// processed), exactly-once across retries and concurrent duplicates, store failures,
// opt-in Standard Schema validation. Deliveries are signed with plain node:crypto.
import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { createMemoryStore, createReceiver, WebhookError, type DedupeStore, type ReceiverOptions, type WebhookEvent } from '@hookproof/core';
import { deferred, handSigned, NOW_MS, sampleBodies, SECRET } from './helpers.js';

const now = () => NOW_MS;
const aidellyBody = sampleBodies.aidelly;
const delivery = (body = aidellyBody) => ({ body, headers: handSigned('aidelly', body) });

function aidellyReceiver(options: Partial<ReceiverOptions<'aidelly'>> = {}) {
  return createReceiver({ vendor: 'aidelly', secret: SECRET, now, ...options });
}

describe('dispatch', () => {
  it('runs typed handlers in registration order, then onAny; onError is not called on success', async () => {
    const calls: string[] = [];
    const receiver = aidellyReceiver()
      .onAny((e) => void calls.push(`any:${String(e.type)}`))
      .on('post.published', (e) => void calls.push(`published#1:${e.payload.data.platform_post_id}`))
      .on('post.failed', () => void calls.push('failed'))
      .on(['post.published', 'post.created'], (e) => void calls.push(`published#2:${e.type}`))
      .onError(() => void calls.push('error'));
    const result = await receiver.receive(delivery());
    expect(result.status).toBe(200);
    expect(result.body).toEqual({ ok: true, id: result.event!.id, type: 'post.published' });
    expect(calls).toEqual(['published#1:urn:li:share:1', 'published#2:post.published', 'any:post.published']);
  });

  it('awaits async handlers one after another, before answering', async () => {
    const calls: string[] = [];
    const receiver = aidellyReceiver()
      .on('post.published', async () => {
        await new Promise((r) => setTimeout(r, 5));
        calls.push('slow');
      })
      .onAny(() => void calls.push('any'));
    const result = await receiver.receive(delivery());
    expect(calls).toEqual(['slow', 'any']);
    expect(result.status).toBe(200);
  });

  it('mixes sync and async handlers in order: each async one is awaited before the next runs', async () => {
    const calls: string[] = [];
    const gate = deferred<void>();
    const receiver = aidellyReceiver({ dedupe: false })
      .on('post.published', () => void calls.push('sync#1'))
      .on('post.published', () => gate.promise.then(() => void calls.push('async#2')))
      .on('post.published', () => void calls.push('sync#3'))
      .onAny(async () => void calls.push('any'));
    const pending = receiver.receive(delivery());
    await new Promise((r) => setTimeout(r, 5));
    expect(calls).toEqual(['sync#1']);
    gate.resolve();
    const result = await pending;
    expect(calls).toEqual(['sync#1', 'async#2', 'sync#3', 'any']);
    expect(result.status).toBe(200);
  });

  it('awaits a handler that returns a thenable (not a Promise); its rejection is a 500', async () => {
    let settled = false;
    const slowThenable = { then: (ok: () => void) => void setTimeout(() => ((settled = true), ok()), 5) };
    const ok = await aidellyReceiver({ dedupe: false }).on('post.published', () => slowThenable).receive(delivery());
    expect(settled).toBe(true);
    expect(ok.status).toBe(200);

    const failing = { then: (_ok: unknown, fail: (e: unknown) => void) => void setTimeout(() => fail(new Error('thenable failed')), 1) };
    const bad = await aidellyReceiver({ dedupe: false }).on('post.published', () => failing).receive(delivery());
    expect(bad.status).toBe(500);
    expect(bad.error?.code).toBe('handler_error');
    expect((bad.error?.cause as Error).message).toBe('thenable failed');
  });

  it('a synchronous throw after an async handler is a 500, and the retry is processed', async () => {
    let calls = 0;
    const receiver = aidellyReceiver()
      .on('post.published', async () => undefined)
      .onAny(() => {
        calls++;
        if (calls === 1) throw new Error('after await');
      });
    const first = await receiver.receive(delivery());
    expect(first.status).toBe(500);
    expect((first.error?.cause as Error).message).toBe('after await');
    const retry = await receiver.receive(delivery());
    expect(retry.status).toBe(200);
    expect(calls).toBe(2);
  });

  it('undocumented events reach onAny only, marked documented: false', async () => {
    const body = JSON.stringify({ id: 'evt_partial', event: 'post.partial', timestamp: '2026-01-01T00:00:00Z', orgId: 'o', data: {} });
    const seen: WebhookEvent<'autoposting'>[] = [];
    const receiver = createReceiver({ vendor: 'autoposting', secret: SECRET, now })
      .on('post.published', () => {
        throw new Error('must not run');
      })
      .onAny((e) => void seen.push(e));
    const result = await receiver.receive({ body, headers: handSigned('autoposting', body) });
    expect(result.status).toBe(200);
    expect(seen).toHaveLength(1);
    expect(String(seen[0]!.type)).toBe('post.partial');
    expect(seen[0]!.documented).toBe(false);
  });

  it('verification failures answer the error code, reach onError with no event, and run no handler', async () => {
    const errors: [string, unknown][] = [];
    let ran = false;
    const receiver = aidellyReceiver()
      .onAny(() => void (ran = true))
      .onError((error, event) => void errors.push([error.code, event]));
    const tampered = await receiver.receive({ body: aidellyBody.replace('linkedin', 'LinkedIn'), headers: handSigned('aidelly', aidellyBody) });
    expect(tampered.status).toBe(401);
    expect(tampered.body).toEqual({ error: 'signature_mismatch', message: 'No configured secret produced this signature.' });
    const unsigned = await receiver.receive({ body: aidellyBody, headers: {} });
    expect(unsigned.status).toBe(401);
    const parsed = await receiver.receive({ body: JSON.parse(aidellyBody) as unknown, headers: handSigned('aidelly', aidellyBody) });
    expect(parsed.status).toBe(500);
    expect(parsed.body).toMatchObject({ error: 'body_not_raw' });
    expect(errors).toEqual([
      ['signature_mismatch', undefined],
      ['missing_signature', undefined],
      ['body_not_raw', undefined],
    ]);
    expect(ran).toBe(false);
  });

  it('an onError handler that throws does not change the answer', async () => {
    const receiver = aidellyReceiver().onError(() => {
      throw new Error('observer bug');
    });
    const result = await receiver.receive({ body: aidellyBody, headers: {} });
    expect(result.status).toBe(401);
  });

  it('receive never rejects, even with no request at all', async () => {
    const receiver = aidellyReceiver();
    await expect(receiver.receive(undefined as never)).resolves.toMatchObject({ status: 500 });
    await expect(receiver.receive({ body: aidellyBody, headers: null })).resolves.toMatchObject({ status: 401 });
  });

  it('setup errors: non-function handlers and an invalid store throw TypeErrors', () => {
    const receiver = aidellyReceiver();
    expect(() => receiver.on('post.published', 'nope' as never)).toThrow(/handler must be a function/);
    expect(() => receiver.onAny(undefined as never)).toThrow(TypeError);
    expect(() => receiver.onError(null as never)).toThrow(TypeError);
    expect(() => aidellyReceiver({ dedupe: {} as DedupeStore })).toThrow(/`dedupe` must be a DedupeStore/);
    expect(() => createReceiver({ vendor: 'aidelly', secret: '' })).toThrow(/non-empty string/);
  });
});

describe('handler failures lose no event', () => {
  it('a throwing handler gives 500 handler_error with the cause, and the next retry is processed', async () => {
    let attempts = 0;
    const processed: string[] = [];
    const errors: WebhookError[] = [];
    const boom = new Error('database down');
    const receiver = aidellyReceiver()
      .on('post.published', (e) => {
        attempts++;
        if (attempts === 1) throw boom;
        processed.push(e.id);
      })
      .onError((error) => void errors.push(error));
    const first = await receiver.receive(delivery());
    expect(first.status).toBe(500);
    expect(first.body).toEqual({ error: 'handler_error', message: 'The event handler failed; the vendor will retry.' });
    expect(first.error?.cause).toBe(boom);
    expect(errors.map((e) => e.code)).toEqual(['handler_error']);
    expect(errors[0]!.cause).toBe(boom);
    expect(JSON.stringify(first.body)).not.toContain('database down');

    const retry = await receiver.receive(delivery());
    expect(retry.status).toBe(200);
    expect(processed).toEqual([retry.event!.id]);
    expect(attempts).toBe(2);
  });

  it('a throwing onAny handler after a successful typed one also releases the claim', async () => {
    let anyCalls = 0;
    const receiver = aidellyReceiver().onAny(() => {
      anyCalls++;
      if (anyCalls === 1) throw new Error('once');
    });
    expect((await receiver.receive(delivery())).status).toBe(500);
    expect((await receiver.receive(delivery())).status).toBe(200);
    expect((await receiver.receive(delivery())).status).toBe(200);
    expect(anyCalls).toBe(2);
  });

  it('a release that fails still answers 500; the claim then expires after claimTtlMs', async () => {
    let clock = NOW_MS;
    const memory = createMemoryStore({ now: () => clock });
    const store: DedupeStore = { ...memory, claim: (k, t) => memory.claim(k, t), complete: (k, t) => memory.complete(k, t), release: () => Promise.reject(new Error('redis gone')) };
    let calls = 0;
    const receiver = aidellyReceiver({ dedupe: store, claimTtlMs: 30_000 }).onAny(() => {
      calls++;
      if (calls === 1) throw new Error('first fails');
    });
    expect((await receiver.receive(delivery())).status).toBe(500);
    expect((await receiver.receive(delivery())).status).toBe(409);
    clock += 30_001;
    expect((await receiver.receive(delivery())).status).toBe(200);
    expect(calls).toBe(2);
  });
});

describe('exactly once', () => {
  it('a duplicate after success is 200 duplicate, and handlers do not run twice', async () => {
    let runs = 0;
    const receiver = aidellyReceiver().onAny(() => void runs++);
    const first = await receiver.receive(delivery());
    const second = await receiver.receive(delivery());
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect(second.body).toEqual({ error: 'duplicate', message: 'This event was already processed.' });
    expect(second.event?.id).toBe(first.event?.id);
    expect(runs).toBe(1);
  });

  it('the same delivery retried with a fresh signature and timestamp is still a duplicate (autoposting id)', async () => {
    let runs = 0;
    const body = sampleBodies.autoposting;
    let clock = NOW_MS;
    const receiver = createReceiver({ vendor: 'autoposting', secret: SECRET, now: () => clock }).onAny(() => void runs++);
    expect((await receiver.receive({ body, headers: handSigned('autoposting', body, SECRET, String(clock / 1000)) })).status).toBe(200);
    clock += 300_000; // the vendor's first retry, about 5 min later, signed afresh
    const retry = await receiver.receive({ body, headers: handSigned('autoposting', body, SECRET, String(clock / 1000)) });
    expect(retry.body).toMatchObject({ error: 'duplicate' });
    expect(runs).toBe(1);
  });

  it('different events are not duplicates of each other', async () => {
    let runs = 0;
    const receiver = aidellyReceiver().onAny(() => void runs++);
    const other = aidellyBody.replace('urn:li:share:1', 'urn:li:share:2');
    expect((await receiver.receive(delivery())).status).toBe(200);
    expect((await receiver.receive(delivery(other))).body).toMatchObject({ ok: true });
    expect(runs).toBe(2);
  });

  // Which copy claims first depends on when its (possibly async) verification ends, so
  // the tests wait for the handler to start and for the other copies to be answered.
  it('concurrent copies of one delivery: one is processed, the other gets 409 in_progress', async () => {
    const gate = deferred();
    const started = deferred();
    let runs = 0;
    const receiver = aidellyReceiver().onAny(async () => {
      runs++;
      started.resolve();
      await gate.promise;
    });
    const copies = [receiver.receive(delivery()), receiver.receive(delivery())];
    await started.promise;
    const answeredFirst = await Promise.race(copies);
    expect(answeredFirst.status).toBe(409);
    expect(answeredFirst.body).toEqual({ error: 'in_progress', message: 'This event is being processed; retry later.' });
    gate.resolve();
    expect((await Promise.all(copies)).map((r) => r.status).sort()).toEqual([200, 409]);
    expect(runs).toBe(1);
    // The vendor's later retry of the 409 is then a duplicate.
    expect((await receiver.receive(delivery())).body).toMatchObject({ error: 'duplicate' });
  });

  it('five concurrent copies: exactly one runs, four get 409', async () => {
    const gate = deferred();
    let runs = 0;
    const receiver = aidellyReceiver().onAny(async () => {
      runs++;
      await gate.promise;
    });
    const answered: number[] = [];
    const copies = Array.from({ length: 5 }, () => receiver.receive(delivery()).then((r) => (answered.push(r.status), r)));
    await vi.waitFor(() => expect(answered).toHaveLength(4));
    expect(answered).toEqual([409, 409, 409, 409]);
    gate.resolve();
    expect((await Promise.all(copies)).map((r) => r.status).sort()).toEqual([200, 409, 409, 409, 409]);
    expect(runs).toBe(1);
  });

  it('dedupe: false processes every copy', async () => {
    let runs = 0;
    const receiver = aidellyReceiver({ dedupe: false }).onAny(() => void runs++);
    await receiver.receive(delivery());
    await receiver.receive(delivery());
    expect(runs).toBe(2);
  });

  it('a processed id is forgotten after dedupeTtlMs', async () => {
    let clock = NOW_MS;
    let runs = 0;
    const receiver = aidellyReceiver({ dedupe: createMemoryStore({ now: () => clock }), dedupeTtlMs: 60_000 }).onAny(() => void runs++);
    await receiver.receive(delivery());
    clock += 59_999;
    expect((await receiver.receive(delivery())).body).toMatchObject({ error: 'duplicate' });
    clock += 2;
    expect((await receiver.receive(delivery())).status).toBe(200);
    expect(runs).toBe(2);
  });

  it('claims and completions use the vendor-qualified event id and the configured TTLs', async () => {
    const calls: string[] = [];
    const memory = createMemoryStore();
    const store: DedupeStore = {
      claim: (k, t) => (calls.push(`claim ${k} ${t}`), memory.claim(k, t)),
      complete: (k, t) => (calls.push(`complete ${k} ${t}`), memory.complete(k, t)),
      release: (k) => (calls.push(`release ${k}`), memory.release(k)),
    };
    const body = sampleBodies.autoposting;
    const receiver = createReceiver({ vendor: 'autoposting', secret: SECRET, now, dedupe: store, claimTtlMs: 1234, dedupeTtlMs: 5678 });
    await receiver.receive({ body, headers: handSigned('autoposting', body) });
    expect(calls).toEqual(['claim autoposting:evt_1 1234', 'complete autoposting:evt_1 5678']);
  });
});

describe('dedupe store failures', () => {
  it('a claim that throws is 503 store_unavailable and no handler runs', async () => {
    let ran = false;
    const errors: string[] = [];
    const store: DedupeStore = {
      claim: () => {
        throw new Error('ECONNREFUSED 127.0.0.1:6379');
      },
      complete: () => undefined,
      release: () => undefined,
    };
    const receiver = aidellyReceiver({ dedupe: store })
      .onAny(() => void (ran = true))
      .onError((e) => void errors.push(e.code));
    const result = await receiver.receive(delivery());
    expect(result.status).toBe(503);
    expect(result.body).toEqual({ error: 'store_unavailable', message: 'The dedupe store is unavailable; retry later.' });
    expect(result.error?.hint).toMatch(/store/);
    expect(JSON.stringify(result.body)).not.toContain('6379');
    expect(ran).toBe(false);
    expect(errors).toEqual(['store_unavailable']);
  });

  it('an async claim that rejects behaves the same', async () => {
    let ran = false;
    const store: DedupeStore = { claim: () => Promise.reject(new Error('timeout')), complete: () => undefined, release: () => undefined };
    const result = await aidellyReceiver({ dedupe: store }).onAny(() => void (ran = true)).receive(delivery());
    expect(result.status).toBe(503);
    expect(ran).toBe(false);
  });

  it('a completion that throws synchronously also acknowledges (200) and reports store_unavailable', async () => {
    const errors: string[] = [];
    const store: DedupeStore = {
      claim: () => 'new',
      complete: () => {
        throw new Error('write failed');
      },
      release: () => undefined,
    };
    const result = await aidellyReceiver({ dedupe: store }).onError((e) => void errors.push(e.code)).receive(delivery());
    expect([result.status, result.body]).toEqual([200, { ok: true, id: expect.any(String), type: 'post.published' }]);
    expect(errors).toEqual(['store_unavailable']);
  });

  it('a claim answering a non-promise thenable is awaited like a promise', async () => {
    let ran = 0;
    const memory = createMemoryStore();
    const thenable = <T>(value: T): PromiseLike<T> => ({ then: (ok) => Promise.resolve(ok ? ok(value) : value) as never });
    const store = { claim: (k: string, t: number) => thenable(memory.claim(k, t)), complete: (k: string, t: number) => memory.complete(k, t), release: (k: string) => memory.release(k) };
    const receiver = aidellyReceiver({ dedupe: store as unknown as DedupeStore }).onAny(() => void ran++);
    const first = await receiver.receive(delivery());
    const second = await receiver.receive(delivery());
    expect([first.status, second.status, second.error?.code, ran]).toEqual([200, 200, 'duplicate', 1]);
  });

  it('a completion that fails after processing still acknowledges (200) and reports store_unavailable', async () => {
    const errors: string[] = [];
    const store: DedupeStore = { claim: () => 'new', complete: () => Promise.reject(new Error('write failed')), release: () => undefined };
    const result = await aidellyReceiver({ dedupe: store }).onError((e) => void errors.push(e.code)).receive(delivery());
    expect(result.status).toBe(200);
    expect(errors).toEqual(['store_unavailable']);
  });
});

describe('opt-in Standard Schema validation (zod)', () => {
  const publishedSchema = z.object({
    event: z.literal('post.published'),
    data: z.object({ platform_post_id: z.string().startsWith('urn:li:'), platform: z.enum(['linkedin', 'instagram']) }),
  });

  it('a payload that fails the schema is 400 invalid_payload carrying the issues; no handler runs', async () => {
    let ran = false;
    const errors: WebhookError[] = [];
    const receiver = aidellyReceiver({ schema: { 'post.published': publishedSchema } })
      .onAny(() => void (ran = true))
      .onError((e) => void errors.push(e));
    const body = aidellyBody.replace('"linkedin"', '"myspace"');
    const result = await receiver.receive(delivery(body));
    expect(result.status).toBe(400);
    expect(result.body).toEqual({ error: 'invalid_payload', message: 'The post.published payload does not match the schema.' });
    const issues = result.error?.details as { path: PropertyKey[]; message: string }[];
    expect(issues).toHaveLength(1);
    expect(issues[0]!.path).toEqual(['data', 'platform']);
    expect(errors[0]?.details).toBe(issues);
    expect(ran).toBe(false);
  });

  it('a payload that passes is dispatched with the schema output', async () => {
    const coercing = z.object({ event: z.string(), data: z.object({ published_at: z.coerce.date() }).passthrough() }).passthrough();
    let seen: unknown;
    const receiver = aidellyReceiver({ schema: coercing }).onAny((e) => void (seen = (e.payload as { data: { published_at: unknown } }).data.published_at));
    const result = await receiver.receive(delivery());
    expect(result.status).toBe(200);
    expect(seen).toEqual(new Date('2026-02-18T17:30:00Z'));
  });

  it('with a per-type map, types without a schema are not checked', async () => {
    const receiver = aidellyReceiver({ schema: { 'post.failed': z.never() } });
    expect((await receiver.receive(delivery())).status).toBe(200);
  });

  it('a schema that throws is a 500 (the vendor retries), not a 4xx that drops the event', async () => {
    const throwing = z.object({}).transform(() => {
      throw new Error('schema bug');
    });
    const result = await aidellyReceiver({ schema: throwing }).receive(delivery());
    expect(result.status).toBe(500);
    expect(result.body).toMatchObject({ error: 'handler_error' });
  });
});

describe('createMemoryStore', () => {
  it('claim -> new, then in_progress; complete -> done; release frees an in-progress claim only', () => {
    const store = createMemoryStore({ now });
    expect(store.claim('a', 1000)).toBe('new');
    expect(store.claim('a', 1000)).toBe('in_progress');
    store.release('a');
    expect(store.claim('a', 1000)).toBe('new');
    store.complete('a', 1000);
    expect(store.claim('a', 1000)).toBe('done');
    store.release('a');
    expect(store.claim('a', 1000)).toBe('done');
  });

  it('entries expire after their TTL (claims too, so a dead holder does not block forever)', () => {
    let clock = 0;
    const store = createMemoryStore({ now: () => clock });
    expect(store.claim('held', 100)).toBe('new');
    store.claim('finished', 100);
    store.complete('finished', 500);
    clock = 99;
    expect(store.claim('held', 100)).toBe('in_progress');
    clock = 100;
    expect(store.claim('held', 100)).toBe('new');
    clock = 499;
    expect(store.claim('finished', 100)).toBe('done');
    clock = 500;
    expect(store.claim('finished', 100)).toBe('new');
  });

  it('never holds more than maxEntries', () => {
    const store = createMemoryStore({ maxEntries: 100, now });
    for (let i = 0; i < 1000; i++) {
      store.claim(`k${i}`, 60_000);
      if (i % 2 === 0) store.complete(`k${i}`, 60_000);
      expect(store.size).toBeLessThanOrEqual(100);
    }
    expect(store.size).toBe(100);
  });

  it('at the bound, finished entries go before in-progress claims', () => {
    const store = createMemoryStore({ maxEntries: 2, now });
    store.claim('running', 60_000);
    store.claim('finished', 60_000);
    store.complete('finished', 60_000);
    store.claim('new', 60_000);
    expect(store.size).toBe(2);
    expect(store.claim('running', 60_000)).toBe('in_progress');
    expect(store.claim('finished', 60_000)).toBe('new');
  });

  it('at the bound with only live claims, the oldest goes', () => {
    const store = createMemoryStore({ maxEntries: 2, now });
    store.claim('first', 60_000);
    store.claim('second', 60_000);
    store.claim('third', 60_000);
    expect(store.claim('second', 60_000)).toBe('in_progress');
    expect(store.claim('third', 60_000)).toBe('in_progress');
  });

  it('expired entries are evicted first', () => {
    let clock = 0;
    const store = createMemoryStore({ maxEntries: 2, now: () => clock });
    store.claim('short', 10);
    store.claim('long', 1000);
    clock = 20;
    store.claim('next', 1000);
    expect(store.claim('long', 1000)).toBe('in_progress');
  });

  it.each([0, -1, 1.5, Number.NaN])('maxEntries %s is a setup error', (maxEntries) => {
    expect(() => createMemoryStore({ maxEntries })).toThrow(/maxEntries must be a positive integer/);
  });
});

describe('secret from an async function (secret managers)', () => {
  it('verifies with the looked-up secret, asks once per secretCacheMs (concurrent deliveries share one lookup), again after it', async () => {
    let t = NOW_MS;
    const lookup = vi.fn(async (vendor: 'aidelly') => {
      await new Promise((r) => setTimeout(r, 2));
      return vendor === 'aidelly' ? ['old-secret', SECRET] : 'wrong';
    });
    const seen: string[] = [];
    const receiver = createReceiver({ vendor: 'aidelly', secret: lookup, secretCacheMs: 1000, now: () => t, dedupe: false }).on('post.published', (e) => void seen.push(e.id));
    const [a, b] = await Promise.all([receiver.receive(delivery()), receiver.receive(delivery())]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(seen).toHaveLength(2);
    expect(lookup.mock.calls).toEqual([['aidelly']]);
    t += 999;
    expect((await receiver.receive(delivery())).status).toBe(200);
    expect(lookup).toHaveBeenCalledTimes(1);
    t += 2;
    expect((await receiver.receive(delivery())).status).toBe(200);
    expect(lookup).toHaveBeenCalledTimes(2);
  });

  it('a rotated secret is picked up with secretCacheMs: 0; the old one is then refused', async () => {
    let current = 'first-secret';
    const receiver = createReceiver({ vendor: 'aidelly', secret: () => current, secretCacheMs: 0, now, dedupe: false });
    const signedWith = (secret: string) => ({ body: aidellyBody, headers: handSigned('aidelly', aidellyBody, secret) });
    expect((await receiver.receive(signedWith('first-secret'))).status).toBe(200);
    current = 'second-secret';
    expect((await receiver.receive(signedWith('second-secret'))).status).toBe(200);
    const old = await receiver.receive(signedWith('first-secret'));
    expect([old.status, old.error?.code]).toEqual([401, 'signature_mismatch']);
  });

  it('a failing or empty lookup is 503 secret_unavailable, reported to onError, never cached, and leaks nothing', async () => {
    let calls = 0;
    const errors: string[] = [];
    const handler = vi.fn();
    const receiver = createReceiver({
      vendor: 'aidelly',
      now,
      secret: async () => {
        calls += 1;
        if (calls === 1) throw new Error('vault sealed: token s.abcdef');
        return calls === 2 ? '' : SECRET;
      },
    })
      .on('post.published', handler)
      .onError((error) => void errors.push(error.code));
    const first = await receiver.receive(delivery());
    expect([first.status, first.error?.code]).toEqual([503, 'secret_unavailable']);
    expect(JSON.stringify(first.body)).not.toContain('vault');
    expect(first.error?.cause).toBeInstanceOf(Error);
    const second = await receiver.receive(delivery());
    expect([second.status, second.error?.code]).toEqual([503, 'secret_unavailable']);
    expect(handler).not.toHaveBeenCalled();
    // Nothing was claimed by the failed attempts: the vendor's retry is processed.
    const third = await receiver.receive(delivery());
    expect(third.status).toBe(200);
    expect(handler).toHaveBeenCalledTimes(1);
    expect(errors).toEqual(['secret_unavailable', 'secret_unavailable']);
    expect(calls).toBe(3);
  });

  it('checks every other option at setup, with the function not yet called', () => {
    const lookup = vi.fn(() => SECRET);
    expect(() => createReceiver({ vendor: 'aidelly', secret: lookup, maxBodyBytes: 0 })).toThrow(/`maxBodyBytes` must be a positive integer/);
    expect(() => createReceiver({ vendor: 'aidelly', secret: lookup, secretCacheMs: -5 })).toThrow(/`secretCacheMs` must be a non-negative/);
    expect(() => createReceiver({ vendor: 'aidelly', secret: SECRET, secretCacheMs: Number.NaN })).toThrow(/`secretCacheMs` must be a non-negative/);
    expect(lookup).not.toHaveBeenCalled();
  });
});
