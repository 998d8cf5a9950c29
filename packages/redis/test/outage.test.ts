import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { createReceiver, type DedupeStore, type Receiver, type WebhookError } from '@hookproof/core';
import { createMockSender, type AttemptResult, type MockEvent, type MockSender } from '@hookproof/mock-sender';
import { createRedisStore, RedisStoreError } from '@hookproof/redis';
import { connectedIoredis, connectedNodeRedis, type NodeRedisClient } from './support/clients.js';
import { redisServerBin } from './support/provided.js';
import { startRedisServer, type RedisServer } from './support/redis-server.js';

// Each test starts its OWN redis-server (never the shared one), stops and restarts it.
// The server persists to an append-only file, as a production dedupe Redis should, so
// what was recorded before the outage is still known after it.

const SECRET = 'whsec_outage-test-secret';

type AnyClient = { kind: 'ioredis'; client: Redis } | { kind: 'node-redis'; client: NodeRedisClient };

function isReady(c: AnyClient): boolean {
  return c.kind === 'ioredis' ? c.client.status === 'ready' : c.client.isReady;
}

async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

interface Rig {
  server: RedisServer;
  client: AnyClient;
  store: DedupeStore;
  receiver: Receiver<'autoposting'>;
  sender: MockSender<'autoposting'>;
  http: Server;
  /** Event ids in the order the handler ran (completed) for them. */
  runs: string[];
  errors: WebhookError[];
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
}, 20_000);

async function rig(kind: AnyClient['kind'], bin: string, handler?: (event: { id: string }) => Promise<void>): Promise<Rig> {
  const dir = mkdtempSync(join(tmpdir(), 'hookproof-redis-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const server = await startRedisServer(bin, { dir });
  cleanups.push(() => server.stop());
  const client: AnyClient =
    kind === 'ioredis' ? { kind, client: await connectedIoredis(server.url) } : { kind, client: await connectedNodeRedis(server.url) };
  cleanups.push(() => (client.kind === 'ioredis' ? client.client.disconnect() : client.client.destroy()));
  const store = createRedisStore({ client: client.client, namespace: 'test', prefix: 'outage:' });
  const runs: string[] = [];
  const errors: WebhookError[] = [];
  const receiver = createReceiver({ vendor: 'autoposting', secret: SECRET, dedupe: store, claimTtlMs: 5000 });
  receiver.onAny(async (event) => {
    await handler?.(event);
    runs.push(event.id);
  });
  receiver.onError((error) => {
    errors.push(error);
  });
  const http = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void receiver.receive({ body: Buffer.concat(chunks), headers: req.headers }).then((r) => {
        res.writeHead(r.status, { 'content-type': 'application/json' }).end(JSON.stringify(r.body));
      });
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => http.close(() => resolve())));
  const address = http.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  const sender = createMockSender({ vendor: 'autoposting', secret: SECRET, target: `http://127.0.0.1:${port}/` });
  cleanups.push(() => sender.close());
  return { server, client, store, receiver, sender, http, runs, errors };
}

function answer(attempt: AttemptResult): { status: number | undefined; body: unknown } {
  return { status: attempt.status, body: attempt.response === undefined ? undefined : JSON.parse(attempt.response.body) };
}

const processed = (event: MockEvent) => ({ status: 200, body: { ok: true, id: (event.payload as { id: string }).id, type: event.type } });
const duplicate = { status: 200, body: { error: 'duplicate', message: 'This event was already processed.' } };
const unavailable = { status: 503, body: { error: 'store_unavailable', message: 'The dedupe store is unavailable; retry later.' } };

describe.skipIf(redisServerBin === null)('Redis outage', () => {
  const bin = redisServerBin ?? '';

  for (const kind of ['ioredis', 'node-redis'] as const) {
    it(`${kind}: Redis stopped mid-run -> 503, nothing acknowledged; processed once when Redis is back`, async () => {
      const r = await rig(kind, bin);
      const before = r.sender.event('post.published');
      expect(answer(await r.sender.send(before))).toEqual(processed(before));

      await r.server.stop();
      await until(() => !isReady(r.client), 'the client to notice');
      const during = r.sender.event('post.published');
      const outage = await r.sender.send(during, { fault: { concurrent: 5 } });
      for (const copy of outage.copies) expect(answer(copy)).toEqual(unavailable);
      // A retry of an already processed event cannot be told apart either: also 503.
      expect(answer(await r.sender.send(before))).toEqual(unavailable);
      expect(r.runs).toEqual([before.payload.id]);
      const cause = r.errors.at(-1)?.cause;
      expect(cause).toBeInstanceOf(RedisStoreError);
      expect((cause as RedisStoreError).operation).toBe('claim');

      await r.server.restart();
      await until(() => isReady(r.client), 'the client to reconnect');
      expect(answer(await r.sender.send(during))).toEqual(processed(during));
      expect(answer(await r.sender.send(during))).toEqual(duplicate);
      expect(answer(await r.sender.send(before))).toEqual(duplicate); // recorded before the outage
      expect(r.runs).toEqual([before.payload.id, during.payload.id]);
    }, 30_000);
  }

  it('Redis stops while a handler runs: answered 200 (it was processed), reported; a retry is not run concurrently', async () => {
    let stopRedis: () => Promise<void> = async () => undefined;
    const r = await rig('ioredis', bin, async () => stopRedis());
    stopRedis = async () => {
      await r.server.stop();
      await until(() => !isReady(r.client), 'the client to notice');
    };
    const event = r.sender.event('post.published');
    expect(answer(await r.sender.send(event))).toEqual(processed(event));
    expect(r.errors.map((e) => [e.code, e.message])).toEqual([['store_unavailable', 'Processed, but the dedupe store did not record it.']]);

    stopRedis = async () => undefined;
    await r.server.restart();
    await until(() => isReady(r.client), 'the client to reconnect');
    // The claim survived the restart (append-only file): the retry waits for it to
    // expire instead of running the handler next to a possibly still running one.
    expect(answer(await r.sender.send(event))).toEqual({ status: 409, body: { error: 'in_progress', message: 'This event is being processed; retry later.' } });
    expect(r.runs).toHaveLength(1);
  }, 30_000);

  it('a claim that gets no reply in commandTimeoutMs is a 503, and is freed when Redis answers late', async () => {
    const r = await rig('ioredis', bin);
    const admin = await connectedIoredis(r.server.url);
    cleanups.push(() => admin.disconnect());
    const client = r.client.client as Redis;
    const store = createRedisStore({ client, namespace: 'test', prefix: 'paused:', commandTimeoutMs: 100 });
    await admin.call('CLIENT', 'PAUSE', '600', 'WRITE'); // Redis holds write commands (scripts too)
    const claim = store.claim('k', 60_000);
    await expect(claim).rejects.toMatchObject({ name: 'RedisStoreError', code: 'redis_timeout', operation: 'claim', key: 'paused:test:k' });
    await sleep(800); // past the pause: the claim landed late, and the store released it
    expect(await admin.exists('paused:test:k')).toBe(0);
    expect(await store.claim('k', 60_000)).toBe('new');
  }, 20_000);
});
