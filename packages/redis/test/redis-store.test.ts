import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisStore, DEFAULT_PREFIX, RedisStoreError, type IoRedisLike } from '@hookproof/redis';
import { CLAIM } from '../src/scripts.js';
import { connectedIoredis, connectedNodeRedis, deleteKeys, ioredisClient, nodeRedisClient, uniquePrefix, type NodeRedisClient } from './support/clients.js';
import { freePort } from './support/redis-server.js';
import { redisUrl } from './support/provided.js';

describe('createRedisStore: setup errors name the fix', () => {
  const client: IoRedisLike = { evalsha: async () => 'new', eval: async () => 'new' };

  it('refuses anything that is not an ioredis or node-redis client', () => {
    for (const bad of [undefined, null, {}, 'redis://127.0.0.1', { get() {}, set() {} }, { evalsha: 1, eval: 2 }]) {
      expect(() => createRedisStore({ client: bad as unknown as IoRedisLike, namespace: 'test' })).toThrow(/needs an ioredis client .* or a node-redis client/);
    }
    expect(() => createRedisStore(undefined as unknown as { client: IoRedisLike; namespace: string })).toThrow(TypeError);
  });

  it('refuses TTLs and timeouts that are not positive numbers, and a prefix that is not a string', () => {
    for (const bad of [0, -1, Number.NaN, Number.POSITIVE_INFINITY, '5000']) {
      expect(() => createRedisStore({ client, namespace: 'test', ttlMs: bad as number })).toThrow(/ttlMs must be a positive number of milliseconds/);
      expect(() => createRedisStore({ client, namespace: 'test', claimTtlMs: bad as number })).toThrow(/claimTtlMs must be a positive number/);
      expect(() => createRedisStore({ client, namespace: 'test', commandTimeoutMs: bad as number })).toThrow(/commandTimeoutMs must be a positive number/);
    }
    expect(() => createRedisStore({ client, namespace: 'test', prefix: 5 as unknown as string })).toThrow(/prefix must be a string/);
  });

  it('rejects (never throws synchronously) on a bad key or TTL at call time', async () => {
    const store = createRedisStore({ client, namespace: 'test' });
    await expect(store.claim('', 1000)).rejects.toThrow(/non-empty string key/);
    await expect(store.claim('k', 0)).rejects.toThrow(/positive ttlMs/);
    await expect(store.complete('k', Number.NaN)).rejects.toThrow(/positive ttlMs/);
    await expect(store.release(7 as unknown as string)).rejects.toThrow(/non-empty string key/);
  });
});

// Reply shapes a real server does not produce on demand: a hand-made client stands in.
describe('createRedisStore: replies', () => {
  it('a reply that is not one of the three states is an unexpected_reply error', async () => {
    const store = createRedisStore({ client: { evalsha: async () => 'maybe', eval: async () => 'maybe' }, namespace: 'test' });
    await expect(store.claim('k', 1000)).rejects.toMatchObject({ name: 'RedisStoreError', code: 'unexpected_reply', operation: 'claim', key: `${DEFAULT_PREFIX}test:k` });
  });

  it('accepts Buffer replies (clients set to return buffers)', async () => {
    const store = createRedisStore({ client: { evalsha: async () => Buffer.from('in_progress'), eval: async () => null }, namespace: 'test' });
    expect(await store.claim('k', 1000)).toBe('in_progress');
  });

  it('falls back to EVAL only on NOSCRIPT; other errors are redis_error with the cause', async () => {
    const calls: string[] = [];
    const noscript: IoRedisLike = {
      evalsha: async () => {
        calls.push('evalsha');
        throw new Error('NOSCRIPT No matching script. Please use EVAL.');
      },
      eval: async (source) => {
        calls.push(source === CLAIM.source ? 'eval claim' : 'eval other');
        return 'new';
      },
    };
    expect(await createRedisStore({ client: noscript, namespace: 'test' }).claim('k', 1000)).toBe('new');
    expect(calls).toEqual(['evalsha', 'eval claim']);

    const cause = new Error('READONLY You cannot write against a read only replica.');
    const readonly: IoRedisLike = { evalsha: async () => Promise.reject(cause), eval: async () => 'new' };
    const error = await createRedisStore({ client: readonly, namespace: 'test' }).claim('k', 1000).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RedisStoreError);
    expect(error).toMatchObject({ code: 'redis_error', cause });
    expect((error as Error).message).toMatch(/^@hookproof\/redis: claim of "hookproof:dedupe:test:k" failed: READONLY/);
  });
});

describe('createRedisStore: Redis unreachable', () => {
  it('ioredis with the README options: rejects at once with redis_error', async () => {
    const client = ioredisClient(`redis://127.0.0.1:${await freePort()}`, { retryStrategy: () => null });
    const store = createRedisStore({ client, namespace: 'test', commandTimeoutMs: 60_000 });
    await expect(store.claim('k', 1000)).rejects.toMatchObject({ name: 'RedisStoreError', code: 'redis_error', operation: 'claim' });
    await expect(store.complete('k', 1000)).rejects.toMatchObject({ code: 'redis_error', operation: 'complete' });
    client.disconnect();
  });

  it('ioredis with its defaults (offline queue on): commandTimeoutMs still bounds the wait', async () => {
    const client = new Redis(await freePort(), '127.0.0.1', { retryStrategy: () => 50 });
    client.on('error', () => undefined);
    const store = createRedisStore({ client, namespace: 'test', commandTimeoutMs: 150 });
    await expect(store.claim('k', 1000)).rejects.toMatchObject({ code: 'redis_timeout', message: expect.stringMatching(/no reply within 150 ms/) });
    client.disconnect();
  });

  it('node-redis, never connected: rejects with redis_error', async () => {
    const store = createRedisStore({ client: nodeRedisClient(`redis://127.0.0.1:${await freePort()}`), namespace: 'test' });
    expect(store.clientKind).toBe('node-redis');
    await expect(store.claim('k', 1000)).rejects.toMatchObject({ name: 'RedisStoreError', code: 'redis_error' });
  });
});

describe.skipIf(redisUrl === null)('createRedisStore on a real Redis', () => {
  const url = redisUrl ?? '';
  const prefix = uniquePrefix('store');
  let io: Redis;
  let node: NodeRedisClient;

  beforeAll(async () => {
    [io, node] = await Promise.all([connectedIoredis(url), connectedNodeRedis(url)]);
  });
  afterAll(async () => {
    await deleteKeys(io, prefix);
    await io.del(`${DEFAULT_PREFIX}test:${prefix}default`);
    await Promise.all([io.quit(), node.close()]);
  });

  it('detects the client library', () => {
    expect(createRedisStore({ client: io, namespace: 'test' }).clientKind).toBe('ioredis');
    expect(createRedisStore({ client: node, namespace: 'test' }).clientKind).toBe('node-redis');
  });

  it('stores a claim as a random token with the claim TTL, and done with the done TTL, under the prefix', async () => {
    const store = createRedisStore({ client: io, namespace: 'test', prefix: `${prefix}a:` });
    expect(await store.claim('evt', 5000)).toBe('new');
    expect(await io.get(`${prefix}a:test:evt`)).toMatch(/^claim:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const claimTtl = await io.pttl(`${prefix}a:test:evt`);
    expect(claimTtl).toBeGreaterThan(4000);
    expect(claimTtl).toBeLessThanOrEqual(5000);
    await store.complete('evt', 86_400_000);
    expect(await io.get(`${prefix}a:test:evt`)).toBe('done');
    expect(await io.pttl(`${prefix}a:test:evt`)).toBeGreaterThan(86_300_000);
  });

  it('two claims of the same key after a release get different tokens', async () => {
    const store = createRedisStore({ client: node, namespace: 'test', prefix: `${prefix}t:` });
    await store.claim('evt', 5000);
    const first = await io.get(`${prefix}t:test:evt`);
    await store.release('evt');
    await store.claim('evt', 5000);
    expect(await io.get(`${prefix}t:test:evt`)).not.toBe(first);
  });

  it('ttlMs and claimTtlMs given to the store win over what the receiver passes', async () => {
    const store = createRedisStore({ client: io, namespace: 'test', prefix: `${prefix}fixed:`, ttlMs: 30_000, claimTtlMs: 7000 });
    await store.claim('evt', 999_999);
    expect(await io.pttl(`${prefix}fixed:test:evt`)).toBeLessThanOrEqual(7000);
    await store.complete('evt', 1);
    expect(await io.pttl(`${prefix}fixed:test:evt`)).toBeGreaterThan(29_000);
  });

  it('uses hookproof:dedupe: when no prefix is given; fractional TTLs are rounded up', async () => {
    const store = createRedisStore({ client: io, namespace: 'test' });
    expect(store.prefix).toBe('hookproof:dedupe:');
    expect(await store.claim(`${prefix}default`, 2500.5)).toBe('new');
    expect(await io.pttl(`${DEFAULT_PREFIX}test:${prefix}default`)).toBeGreaterThan(2000);
  });

  it('runs again after Redis forgot its scripts (SCRIPT FLUSH, restart, failover)', async () => {
    for (const client of [io, node]) {
      const store = createRedisStore({ client, namespace: 'test', prefix: `${prefix}flush:` });
      await io.script('FLUSH');
      expect(await store.claim(`k-${store.clientKind}`, 5000)).toBe('new');
      expect(await io.script('EXISTS', CLAIM.sha)).toEqual([1]);
    }
  });

  it('a key holding another type is a redis_error naming the key, with the WRONGTYPE cause', async () => {
    await io.hset(`${prefix}test:hash`, 'f', 'v');
    for (const client of [io, node]) {
      const error = await createRedisStore({ client, namespace: 'test', prefix }).claim('hash', 1000).catch((e: unknown) => e);
      expect(error).toMatchObject({ name: 'RedisStoreError', code: 'redis_error', key: `${prefix}test:hash` });
      expect(String((error as Error).cause)).toMatch(/WRONGTYPE/);
    }
  });
});

// Issue 15 item 5, without a server: the order of commands a client sees.
describe('createRedisStore: a claim given up on is released by its token until Redis answers', () => {
  it('claim rejected by the client (its commandTimeout) -> release(token) retried until it gets a reply', async () => {
    const calls: { script: string; args: string[] }[] = [];
    let releases = 0;
    const client: IoRedisLike = {
      evalsha: async (sha, _n, key, ...args) => {
        const script = sha === CLAIM.sha ? 'claim' : 'release';
        calls.push({ script, args: [key as string, ...args] });
        if (script === 'claim') throw new Error('Command timed out');
        if (++releases < 3) throw new Error('Command timed out');
        return 1;
      },
      eval: async () => 'new',
    };
    const store = createRedisStore({ client, namespace: 'test' });
    await expect(store.claim('aidelly:evt', 60_000)).rejects.toMatchObject({ code: 'redis_error', operation: 'claim' });
    for (let i = 0; i < 100 && releases < 3; i++) await new Promise((r) => setTimeout(r, 20));
    const token = calls[0]!.args[1];
    expect(token).toMatch(/^claim:[0-9a-f-]{36}$/);
    expect(calls.map((c) => [c.script, c.args[0], c.args[1]])).toEqual([
      ['claim', 'hookproof:dedupe:test:aidelly:evt', token],
      ['release', 'hookproof:dedupe:test:aidelly:evt', token],
      ['release', 'hookproof:dedupe:test:aidelly:evt', token],
      ['release', 'hookproof:dedupe:test:aidelly:evt', token],
    ]);
    await new Promise((r) => setTimeout(r, 100));
    expect(calls).toHaveLength(4); // answered: no more releases
  });

  it('a release that found nothing (the claim may still be on a replaced connection) is sent once more after commandTimeoutMs, then no more', async () => {
    const released: string[] = [];
    const client: IoRedisLike = {
      evalsha: async (sha, _n, _key, ...args) => {
        if (sha === CLAIM.sha) throw new Error('Connection is closed.');
        released.push(args[0] as string);
        return 0;
      },
      eval: async () => 'new',
    };
    const store = createRedisStore({ client, namespace: 'test', commandTimeoutMs: 50 });
    await expect(store.claim('aidelly:evt', 60_000)).rejects.toMatchObject({ code: 'redis_error' });
    await new Promise((r) => setTimeout(r, 300));
    expect(released).toHaveLength(2);
    expect(new Set(released).size).toBe(1);
  });
});
