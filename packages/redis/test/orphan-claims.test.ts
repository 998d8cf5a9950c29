import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { createReceiver } from '@hookproof/core';
import { createMockSender } from '@hookproof/mock-sender';
import { createRedisStore, RedisStoreError, type RedisClientLike, type RedisStore } from '@hookproof/redis';
import { connectedIoredis, connectedNodeRedis } from './support/clients.js';
import { redisServerBin } from './support/provided.js';
import { startRedisServer, type RedisServer } from './support/redis-server.js';

// Issue 15 item 5: with the client options the README recommends (commandTimeout 1000,
// shorter than the store's own 2000 ms), a claim the client gave up on while Redis was
// frozen (SIGSTOP) still lands when Redis resumes (SIGCONT). The store must release it
// (compare-and-delete by its token) once Redis answers again, so the vendor's retry is
// processed instead of answered 409 for the whole claim TTL.

const SECRET = 'whsec_orphan-claims-test';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
}, 20_000);

async function server(bin: string): Promise<RedisServer> {
  const s = await startRedisServer(bin);
  cleanups.push(async () => {
    s.signal('SIGCONT');
    await s.stop();
  });
  return s;
}

async function clientFor(kind: RedisStore['clientKind'], url: string): Promise<RedisClientLike> {
  if (kind === 'ioredis') {
    const io = await connectedIoredis(url);
    cleanups.push(() => io.disconnect());
    return io;
  }
  const node = await connectedNodeRedis(url);
  cleanups.push(() => node.destroy());
  return node;
}

async function until(condition: () => Promise<boolean>, what: string, timeoutMs: number): Promise<number> {
  const started = Date.now();
  while (!(await condition())) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(20);
  }
  return Date.now() - started;
}

describe.skipIf(redisServerBin === null)('no orphan claims: a claim given up on is released once Redis answers again', () => {
  const bin = redisServerBin ?? '';

  for (const kind of ['ioredis', 'node-redis'] as const) {
    it(`${kind} (commandTimeout 1000 ms): a claim sent to a SIGSTOPped Redis is a RedisStoreError, and is gone soon after SIGCONT`, async () => {
      const redis = await server(bin);
      const admin: Redis = await connectedIoredis(redis.url, { commandTimeout: 10_000 });
      cleanups.push(() => admin.disconnect());
      const store = createRedisStore({ client: await clientFor(kind, redis.url), namespace: 'orphans' });
      const peer = createRedisStore({ client: await clientFor(kind, redis.url), namespace: 'orphans' });

      // A running application: Redis has the claim script cached (EVALSHA runs it as is).
      expect(await store.claim('aidelly:warm-up', 60_000)).toBe('new');
      redis.signal('SIGSTOP');
      const started = Date.now();
      const error = await store.claim('aidelly:evt_1', 60_000).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RedisStoreError);
      expect(error).toMatchObject({ operation: 'claim', key: 'hookproof:dedupe:orphans:aidelly:evt_1' });
      // ioredis's commandTimeout (1000) gives up first; node-redis's timeout covers only commands not
      // yet written to the socket, so there the store's own 2000 ms bound does.
      expect(error).toMatchObject(kind === 'ioredis' ? { code: 'redis_error' } : { code: 'redis_timeout' });
      expect(Date.now() - started).toBeLessThan(kind === 'ioredis' ? 1900 : 2500);
      await sleep(300);
      redis.signal('SIGCONT');

      // The frozen claim ran when Redis resumed; the store's release, queued behind it, removed it.
      const freedAfter = await until(async () => (await admin.exists('hookproof:dedupe:orphans:aidelly:evt_1')) === 0, 'the orphan claim to be released', 3000);
      console.log(`${kind}: orphan claim released ${freedAfter} ms after SIGCONT (claim TTL 60 000 ms)`);
      expect(await peer.claim('aidelly:evt_1', 60_000)).toBe('new');
      expect(await store.claim('aidelly:evt_1', 60_000)).toBe('in_progress');
    }, 20_000);
  }

  it('through a receiver: 503 while Redis is frozen, and the vendor\'s retry after SIGCONT is processed (not 409)', async () => {
    const redis = await server(bin);
    const store = createRedisStore({ client: await clientFor('ioredis', redis.url), namespace: 'orphans' });
    const receiver = createReceiver({ vendor: 'timbrix', secret: SECRET, dedupe: store });
    const runs: string[] = [];
    receiver.onAny((event) => void runs.push(event.id));
    const sender = createMockSender({
      vendor: 'timbrix',
      secret: SECRET,
      target: async (request: Request) => {
        const result = await receiver.receive({ body: new Uint8Array(await request.arrayBuffer()), headers: request.headers });
        return Response.json(result.body, { status: result.status });
      },
    });
    const event = sender.event('member.added', { id: 'evt_frozen' });
    expect((await sender.send(sender.event('member.added'))).status).toBe(200); // the script is cached, as in a running app

    redis.signal('SIGSTOP');
    const during = await sender.send(event);
    expect(during.status).toBe(503);
    expect(JSON.parse(during.response!.body)).toMatchObject({ error: 'store_unavailable' });
    redis.signal('SIGCONT');
    await sleep(500); // Timbrix retries 1 s later; Redis has answered by then

    const retry = await sender.send(event);
    expect({ status: retry.status, body: JSON.parse(retry.response!.body) }).toEqual({ status: 200, body: { ok: true, id: 'evt_frozen', type: 'member.added' } });
    expect(runs.slice(1)).toEqual(['evt_frozen']);
  }, 20_000);
});
