// handlerTimeoutMs / earlyAck on the receiver, bodyTimeoutMs on the engine and handleWebhook.
import { describe, expect, it } from 'vitest';
import { createReceiver, handleWebhook, WebhookError, type WebhookEvent } from '@hookproof/core';
import { createWebhookEngine } from '@hookproof/core/adapter';
import { deferred, handSigned, NOW_MS, sampleBodies, SECRET } from './helpers.js';

const now = () => NOW_MS;
const body = sampleBodies.timbrix;
const delivery = () => ({ body, headers: handSigned('timbrix', body) });

/** Resolves after `ms` real milliseconds. */
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('handler timeout', () => {
  it('by default waits for the handler, however long: no answer before it finishes', async () => {
    const gate = deferred();
    let finished = false;
    const receiver = createReceiver({ vendor: 'timbrix', secret: SECRET, now }).onAny(async () => {
      await gate.promise;
      finished = true;
    });
    let answered = false;
    const pending = receiver.receive(delivery()).then((r) => {
      answered = true;
      return r;
    });
    await sleep(60);
    expect(answered).toBe(false);
    gate.resolve();
    const result = await pending;
    expect(finished).toBe(true);
    expect(result.status).toBe(200);
  });

  it('answers 503 handler_timeout, keeps the claim until the handler ends, then records the outcome', async () => {
    const gate = deferred();
    const errors: string[] = [];
    let runs = 0;
    const receiver = createReceiver({ vendor: 'timbrix', secret: SECRET, now, handlerTimeoutMs: 20 })
      .onAny(async () => {
        runs++;
        await gate.promise;
      })
      .onError((e) => {
        errors.push(e.code);
      });
    const first = await receiver.receive(delivery());
    expect(first.status).toBe(503);
    expect(first.body).toEqual({ error: 'handler_timeout', message: expect.stringContaining('20 ms') });
    expect(errors).toEqual(['handler_timeout']);
    // The vendor's retry while the first handler still runs: not processed twice.
    expect((await receiver.receive(delivery())).status).toBe(409);
    gate.resolve();
    await sleep(10);
    // Once it finished, the retry is acknowledged as a duplicate.
    const retry = await receiver.receive(delivery());
    expect([retry.status, (retry.body as { error?: string }).error]).toEqual([200, 'duplicate']);
    expect(runs).toBe(1);
  });

  it('a handler that fails after the timeout releases the claim and is reported, so the retry runs it again', async () => {
    const gate = deferred();
    const errors: string[] = [];
    let runs = 0;
    const receiver = createReceiver({ vendor: 'timbrix', secret: SECRET, now, handlerTimeoutMs: 20 })
      .onAny(async () => {
        runs++;
        if (runs === 1) {
          await gate.promise;
          throw new Error('boom');
        }
      })
      .onError((e) => {
        errors.push(e.code);
      });
    expect((await receiver.receive(delivery())).status).toBe(503);
    gate.resolve();
    await sleep(10);
    expect(errors).toEqual(['handler_timeout', 'handler_error']);
    expect((await receiver.receive(delivery())).status).toBe(200);
    expect(runs).toBe(2);
  });

  it('a fast handler is unaffected and leaves no timer behind', async () => {
    const receiver = createReceiver({ vendor: 'timbrix', secret: SECRET, now, handlerTimeoutMs: 10_000 }).onAny(() => undefined);
    const started = Date.now();
    expect((await receiver.receive(delivery())).status).toBe(200);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('earlyAck answers 202 at the timeout; the handler goes on and completes the claim', async () => {
    const gate = deferred();
    const seen: WebhookEvent<'timbrix'>[] = [];
    const receiver = createReceiver({ vendor: 'timbrix', secret: SECRET, now, handlerTimeoutMs: 20, earlyAck: true }).onAny(async (e) => {
      await gate.promise;
      seen.push(e);
    });
    const first = await receiver.receive(delivery());
    expect(first.status).toBe(202);
    expect(first.body).toMatchObject({ ok: true, type: 'member.added' });
    expect(seen).toHaveLength(0);
    gate.resolve();
    await sleep(10);
    expect(seen).toHaveLength(1);
    expect((await receiver.receive(delivery())).status).toBe(200);
  });

  it('earlyAck with a handler that finishes in time still answers 200 after it', async () => {
    const receiver = createReceiver({ vendor: 'timbrix', secret: SECRET, now, handlerTimeoutMs: 5_000, earlyAck: true }).onAny(async () => {
      await sleep(5);
    });
    expect((await receiver.receive(delivery())).status).toBe(200);
  });

  it('setup errors', () => {
    expect(() => createReceiver({ vendor: 'timbrix', secret: SECRET, handlerTimeoutMs: 0 })).toThrow(/handlerTimeoutMs/);
    expect(() => createReceiver({ vendor: 'timbrix', secret: SECRET, handlerTimeoutMs: Number.NaN })).toThrow(/handlerTimeoutMs/);
    expect(() => createReceiver({ vendor: 'timbrix', secret: SECRET, earlyAck: true })).toThrow(/handlerTimeoutMs/);
    expect(() => createReceiver({ vendor: 'timbrix', secret: SECRET, bodyTimeoutMs: -5 })).toThrow(/bodyTimeoutMs/);
  });
});

describe('body timeout', () => {
  it('engine.readWithin rejects a stalled read with body_timeout (408, connection: close) and swallows its late failure', async () => {
    const engine = createWebhookEngine({ vendor: 'timbrix', secret: SECRET, bodyTimeoutMs: 20 });
    expect(engine.bodyTimeoutMs).toBe(20);
    let rejectRead!: (e: Error) => void;
    const stalled = new Promise<Uint8Array>((_r, reject) => {
      rejectRead = reject;
    });
    const error = await engine.readWithin(stalled).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WebhookError);
    const mapped = engine.readError(error);
    expect([mapped.code, mapped.status]).toEqual(['body_timeout', 408]);
    const answer = await engine.fail(mapped);
    expect(answer.headers).toEqual({ connection: 'close' });
    // The read failing afterwards (the socket closed) must not be an unhandled rejection.
    rejectRead(new Error('aborted'));
    await sleep(5);
  });

  it('engine.readWithin passes a prompt read through; the default is 10 s and 0 turns it off', async () => {
    const engine = createWebhookEngine({ vendor: 'timbrix', secret: SECRET });
    expect(engine.bodyTimeoutMs).toBe(10_000);
    expect(await engine.readWithin(Promise.resolve('x'))).toBe('x');
    const off = createWebhookEngine({ vendor: 'timbrix', secret: SECRET, bodyTimeoutMs: 0 });
    const read = Promise.resolve('y');
    expect(off.readWithin(read)).toBe(read);
    const viaReceiver = createWebhookEngine(createReceiver({ vendor: 'timbrix', secret: SECRET, bodyTimeoutMs: 7 }));
    expect(viaReceiver.bodyTimeoutMs).toBe(7);
  });

  it('one engine, many reads in flight: each stalled read times out on its own deadline, prompt ones resolve', async () => {
    const engine = createWebhookEngine({ vendor: 'timbrix', secret: SECRET, bodyTimeoutMs: 40 });
    const stalled = () => {
      const started = performance.now();
      return engine.readWithin(new Promise<never>(() => undefined)).then(
        () => ['resolved', 0] as const,
        (e: unknown) => [e instanceof WebhookError ? e.code : String(e), performance.now() - started] as const,
      );
    };
    const first = stalled();
    await sleep(25);
    const second = stalled();
    const prompt = engine.readWithin(new Promise((r) => setTimeout(r, 5, 'body')));
    const failing = engine.readWithin(Promise.reject(new Error('aborted'))).catch((e: Error) => e.message);
    expect(await prompt).toBe('body');
    expect(await failing).toBe('aborted');
    const [code1, waited1] = await first;
    const [code2, waited2] = await second;
    expect([code1, code2]).toEqual(['body_timeout', 'body_timeout']);
    // Never before the deadline, even though one timer serves both reads.
    expect(waited1).toBeGreaterThanOrEqual(40);
    expect(waited2).toBeGreaterThanOrEqual(40);
    expect(waited2).toBeLessThan(5_000);
    // The timer does not outlive the reads by itself: a fresh read after them still times out.
    const [code3] = await stalled();
    expect(code3).toBe('body_timeout');
  });

  it('engine.watchBody: only reads not stopped in time hear about it, whatever order they stop in', async () => {
    const engine = createWebhookEngine({ vendor: 'timbrix', secret: SECRET, bodyTimeoutMs: 30 });
    const heard: string[] = [];
    const watch = (name: string) => engine.watchBody((error) => heard.push(`${name}:${error.code}:${error.status}`));
    // Five reads in flight; stop the first, a middle one and the last (every unlink case).
    const stops = ['a', 'b', 'c', 'd', 'e'].map(watch);
    stops[0]!();
    stops[2]!();
    stops[4]!();
    await sleep(60);
    expect(heard.sort()).toEqual(['b:body_timeout:408', 'd:body_timeout:408']);
    // Stopping after the timeout answered is a no-op, and the clock still serves new reads.
    stops[1]!();
    stops[3]!();
    const late = watch('f');
    await sleep(60);
    late();
    expect(heard).toContain('f:body_timeout:408');
    expect(heard).toHaveLength(3);
  });

  it('engine.watchBody never fires with bodyTimeoutMs: 0, nor for a read stopped in time', async () => {
    const off = createWebhookEngine({ vendor: 'timbrix', secret: SECRET, bodyTimeoutMs: 0 });
    const on = createWebhookEngine({ vendor: 'timbrix', secret: SECRET, bodyTimeoutMs: 10 });
    let fired = 0;
    off.watchBody(() => fired++);
    const stop = on.watchBody(() => fired++);
    await sleep(2);
    stop();
    await sleep(30);
    expect(fired).toBe(0);
  });

  it('payload_too_large also asks to close the connection', async () => {
    const engine = createWebhookEngine({ vendor: 'timbrix', secret: SECRET });
    const answer = await engine.fail(engine.readError({ type: 'entity.too.large' }));
    expect([answer.status, answer.headers]).toEqual([413, { connection: 'close' }]);
  });

  it('handleWebhook answers 408 to a body that stops arriving', async () => {
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"event":'));
        // ...and nothing more, ever.
      },
    });
    const request = new Request('http://127.0.0.1/hooks', { method: 'POST', body: stream, headers: handSigned('timbrix', body), duplex: 'half' } as RequestInit);
    const started = Date.now();
    const response = await handleWebhook(request, { vendor: 'timbrix', secret: SECRET, now, bodyTimeoutMs: 30 });
    expect(response.status).toBe(408);
    expect(response.headers.get('connection')).toBe('close');
    expect(await response.json()).toEqual({ error: 'body_timeout', message: expect.any(String) });
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
