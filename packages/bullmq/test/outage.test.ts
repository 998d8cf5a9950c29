import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createReceiver, handleWebhook, type QueuedDelivery, type WebhookError } from '@hookproof/core';
import { createMockSender } from '@hookproof/mock-sender';
import { bullmqQueue, startWorker, type BullmqWebhookQueue } from '@hookproof/bullmq';
import { redisServerBin, redisUrl } from './support/provided.js';
import { startRedisServer, type RedisServer } from './support/redis-server.js';
import { SECRET, answer, until, uniqueName } from './support/rig.js';

// Each test starts its OWN redis-server (never the shared one), stops and restarts it.

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
}, 20_000);

async function server(aof: boolean): Promise<RedisServer> {
  let dir: string | undefined;
  if (aof) {
    dir = mkdtempSync(join(tmpdir(), 'hookproof-bullmq-'));
    const d = dir;
    cleanups.push(() => rmSync(d, { recursive: true, force: true }));
  }
  const s = await startRedisServer(redisServerBin!, dir === undefined ? {} : { dir });
  cleanups.push(() => s.stop());
  return s;
}

/** A web receiver (memory dedupe store) and a worker side sharing it, on `s`. */
function app(s: RedisServer, wrap?: (queue: BullmqWebhookQueue) => BullmqWebhookQueue) {
  const name = uniqueName('outage');
  const connection = { host: '127.0.0.1', port: s.port };
  const real = bullmqQueue({ connection, name, backoff: { type: 'fixed', delay: 50 }, onWarning: () => undefined });
  cleanups.push(() => real.close());
  const queue = wrap === undefined ? real : wrap(real);
  const receiver = createReceiver({ vendor: 'aidelly', secret: SECRET, queue });
  const runs: string[] = [];
  const errors: WebhookError[] = [];
  receiver.onAny((event) => void runs.push(event.id));
  receiver.onError((error) => void errors.push(error));
  const work = () => {
    const worker = startWorker(receiver, { connection, name });
    cleanups.push(() => worker.close());
    return worker;
  };
  return { name, connection, real, receiver, runs, errors, work };
}

describe.skipIf(redisServerBin === null)('Redis away', () => {
  it('Redis unreachable between verification and the write: 503 within the deadline; the next retry is queued and processed once', async () => {
    const s = await server(false);
    let stopBeforeWrite = true;
    const a = app(s, (real) => ({
      ...real,
      // The delivery is verified and claimed; Redis goes away just before the job is written.
      async enqueue(delivery: QueuedDelivery, options: { timeoutMs: number }) {
        if (stopBeforeWrite) {
          stopBeforeWrite = false;
          await s.stop();
        }
        return real.enqueue(delivery, options);
      },
    }));
    const sender = createMockSender({ vendor: 'aidelly', secret: SECRET, target: (request: Request) => handleWebhook(request, a.receiver) });
    cleanups.push(() => sender.close());
    const event = sender.event('post.published');
    const first = await sender.send(event);
    expect(answer(first)).toEqual({ status: 503, body: { error: 'queue_unavailable', message: 'The delivery could not be queued in time; retry later.' } });
    expect(first.response?.headers['retry-after']).toBe('5');
    expect(first.ms).toBeLessThan(10_000); // Aidelly's deadline: the vendor got its 5xx in time and will retry
    console.log(`Redis away before the write: 503 after ${first.ms.toFixed(0)} ms (default timeout 3000 ms; Aidelly waits 10 000 ms)`);
    expect(a.errors.map((e) => e.code)).toEqual(['queue_unavailable']);

    await s.restart();
    await until(async () => (await a.real.ready().then(() => true, () => false)), 'the queue to reconnect');
    // The vendor's retry schedule, on the mock sender's virtual clock: the next attempt is queued.
    const log = await sender.deliver(event, { retries: 'vendor', clock: 'virtual' });
    expect(log.state).toBe('delivered');
    expect(log.attempts.map((x) => x.status)).toEqual([202]);
    a.work();
    await until(() => a.runs.length === 1, 'the worker');
    const again = await sender.deliver(event, { retries: 'vendor', clock: 'virtual' });
    expect(again.attempts.map((x) => answer(x))).toEqual([{ status: 200, body: { error: 'duplicate', message: 'This event was already processed.' } }]);
    expect(a.runs).toEqual([(log.attempts[0]!.response && (JSON.parse(log.attempts[0]!.response.body) as { id: string }).id)]);
  }, 40_000);

  it('Redis restarted (appendonly yes) between the acknowledgement and processing: the jobs survive, processed once each', async () => {
    const s = await server(true);
    const a = app(s);
    expect(await a.real.ready()).toEqual({ appendonly: true, maxmemoryPolicy: 'noeviction', problems: [] });
    const sender = createMockSender({ vendor: 'aidelly', secret: SECRET, target: (request: Request) => handleWebhook(request, a.receiver) });
    cleanups.push(() => sender.close());
    const ids: string[] = [];
    for (const type of ['post.created', 'post.scheduled', 'post.published'] as const) {
      const sent = answer(await sender.send(sender.event(type)));
      expect(sent.status).toBe(202);
      ids.push((sent.body as { id: string }).id);
    }
    await s.restart(); // acknowledged, not processed yet: only the append-only file remembers them
    await until(async () => (await a.real.ready().then(() => true, () => false)), 'the queue to reconnect');
    a.work();
    await until(() => a.runs.length === 3, 'the worker');
    expect([...a.runs].sort()).toEqual([...ids].sort());
  }, 40_000);
});

describe.skipIf(redisUrl === null)('durability checked at start-up', () => {
  it('appendonly off (the shared test server): warns once; strict refuses to acknowledge (503) and ready() names the fix', async () => {
    const connection = { host: '127.0.0.1', port: Number(new URL(redisUrl!).port || 6379) };
    const warnings: string[] = [];
    const lax = bullmqQueue({ connection, name: uniqueName('lax'), onWarning: (m) => void warnings.push(m) });
    cleanups.push(() => lax.close());
    const report = await lax.ready();
    expect(report.appendonly).toBe(false);
    await until(() => warnings.length > 0, 'the warning');
    expect(warnings[0]).toMatch(/appendonly off: a Redis restart loses every job written since the last snapshot/);

    const strict = bullmqQueue({ connection, name: uniqueName('strict'), strict: true, onWarning: () => undefined });
    cleanups.push(() => strict.close());
    await expect(strict.ready()).rejects.toThrow(/^@hookproof\/bullmq: bullmqQueue\(\{ strict: true \}\) refuses to acknowledge deliveries: Redis has appendonly off/);
    const receiver = createReceiver({ vendor: 'aidelly', secret: SECRET, queue: strict });
    const sender = createMockSender({ vendor: 'aidelly', secret: SECRET, target: (request: Request) => handleWebhook(request, receiver) });
    cleanups.push(() => sender.close());
    const sent = await sender.send(sender.event('post.published'));
    expect(answer(sent)).toEqual({ status: 503, body: { error: 'queue_unavailable', message: 'The delivery could not be queued; retry later.' } });
    expect(await strict.queue.count()).toBe(0);
  });

  it('close(): a write in flight finishes, deliveries after it get 503, the worker drains its running job', async () => {
    const connection = { host: '127.0.0.1', port: Number(new URL(redisUrl!).port || 6379) };
    const name = uniqueName('close');
    const queue = bullmqQueue({ connection, name, onWarning: () => undefined });
    const inspect = bullmqQueue({ connection, name, onWarning: () => undefined });
    cleanups.push(async () => {
      await inspect.queue.obliterate({ force: true });
      await inspect.close();
    });
    const receiver = createReceiver({ vendor: 'aidelly', secret: SECRET, queue });
    let started = false;
    let release: () => void = () => undefined;
    const finished: string[] = [];
    receiver.onAny(async (event) => {
      started = true;
      await new Promise<void>((resolve) => (release = resolve));
      finished.push(event.id);
    });
    const sender = createMockSender({ vendor: 'aidelly', secret: SECRET, target: (request: Request) => handleWebhook(request, receiver) });
    cleanups.push(() => sender.close());
    await queue.ready();
    const delivery: QueuedDelivery = { vendor: 'aidelly', id: 'evt_in_flight', idSource: 'payload', type: 'post.created', documented: true, receivedAt: Date.now(), raw: '{"event":"post.created","data":{}}', headers: {} };
    const write = queue.enqueue(delivery, { timeoutMs: 3000 });
    const closing = queue.close(); // while the write is in flight
    await expect(queue.enqueue({ ...delivery, id: 'evt_after' }, { timeoutMs: 3000 })).rejects.toMatchObject({ name: 'QueueClosedError' });
    await write;
    await closing;
    expect(await inspect.queue.getJob('aidelly/evt_in_flight')).toBeDefined();
    const after = await sender.send(sender.event('post.canceled'));
    expect(answer(after)).toEqual({ status: 503, body: { error: 'queue_unavailable', message: 'The delivery could not be queued; retry later.' } });
    expect(after.response?.headers['retry-after']).toBe('5');
    expect(await inspect.queue.count()).toBe(1);

    const worker = startWorker(receiver, { connection, name });
    await until(() => started, 'the job to start');
    let drained = false;
    const draining = worker.close().then(() => (drained = true));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(drained).toBe(false); // close() waits for the running job
    release();
    await draining;
    expect(finished).toEqual(['evt_in_flight']);
    expect(await inspect.queue.getJobCounts('completed')).toEqual({ completed: 1 });
  });
});
