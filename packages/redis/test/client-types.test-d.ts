import { Cluster, Redis } from 'ioredis';
import { createClient } from 'redis';
import { describe, expectTypeOf, it } from 'vitest';
import type { DedupeStore } from '@hookproof/core';
import { createRedisStore, type RedisClientLike, type RedisStore } from '@hookproof/redis';

describe('createRedisStore client types', () => {
  it('accepts ioredis Redis and Cluster, and a node-redis client', () => {
    expectTypeOf<Redis>().toExtend<RedisClientLike>();
    expectTypeOf<Cluster>().toExtend<RedisClientLike>();
    expectTypeOf<ReturnType<typeof createClient>>().toExtend<RedisClientLike>();
  });

  it('refuses things that are not clients', () => {
    expectTypeOf<{ get(key: string): Promise<string | null> }>().not.toExtend<RedisClientLike>();
    expectTypeOf<string>().not.toExtend<RedisClientLike>();
    // @ts-expect-error a connection string is not a client
    createRedisStore({ client: 'redis://127.0.0.1:6379', namespace: 'test' });
  });

  it('requires a namespace', () => {
    const client = {} as Redis;
    // @ts-expect-error `namespace` is required: two applications sharing a Redis must not share keys
    createRedisStore({ client });
    createRedisStore({ client, namespace: 'billing' });
  });

  it('is a DedupeStore whose methods are async', () => {
    expectTypeOf<RedisStore>().toExtend<DedupeStore>();
    expectTypeOf(createRedisStore).returns.toEqualTypeOf<RedisStore>();
    expectTypeOf<RedisStore['claim']>().returns.toEqualTypeOf<Promise<'new' | 'in_progress' | 'done'>>();
  });
});
