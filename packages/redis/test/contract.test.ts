import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryStore } from '@hookproof/core';
import { dedupeStoreContract } from '@hookproof/core/adapter';
import { createRedisStore } from '@hookproof/redis';
import { connectedIoredis, connectedNodeRedis, deleteKeys, uniquePrefix, type NodeRedisClient } from './support/clients.js';
import { redisUrl } from './support/provided.js';

// One suite (core's dedupeStoreContract), three stores side by side: the in-memory
// default and the Redis store over each supported client, on a real redis-server.

let clock = 1_700_000_000_000;
dedupeStoreContract({ describe, it, expect }, () => createMemoryStore({ now: () => clock }), {
  name: 'contract: memory store',
  sleep: (ms) => {
    clock += ms;
  },
});

describe.skipIf(redisUrl === null)('contract on a real Redis', () => {
  const url = redisUrl ?? '';
  const prefix = uniquePrefix('contract');
  let io: Redis;
  let ioPeer: Redis;
  let nodeRedis: NodeRedisClient;
  let nodePeer: NodeRedisClient;

  beforeAll(async () => {
    [io, ioPeer, nodeRedis, nodePeer] = await Promise.all([connectedIoredis(url), connectedIoredis(url), connectedNodeRedis(url), connectedNodeRedis(url)]);
  });
  afterAll(async () => {
    await deleteKeys(io, prefix);
    await Promise.all([io.quit(), ioPeer.quit(), nodeRedis.close(), nodePeer.close()]);
  });

  // Each store's peer is another client with the same prefix: a second process.
  dedupeStoreContract({ describe, it, expect }, () => createRedisStore({ client: io, namespace: 'test', prefix: `${prefix}io:` }), {
    name: 'contract: Redis store on ioredis',
    sleep: (ms) => sleep(ms),
    makePeer: () => createRedisStore({ client: ioPeer, namespace: 'test', prefix: `${prefix}io:` }),
  });

  dedupeStoreContract({ describe, it, expect }, () => createRedisStore({ client: nodeRedis, namespace: 'test', prefix: `${prefix}node:` }), {
    name: 'contract: Redis store on node-redis',
    sleep: (ms) => sleep(ms),
    makePeer: () => createRedisStore({ client: nodePeer, namespace: 'test', prefix: `${prefix}node:` }),
  });

  // The two clients agree on the data: a claim taken through one is seen by the other.
  dedupeStoreContract({ describe, it, expect }, () => createRedisStore({ client: io, namespace: 'test', prefix: `${prefix}mixed:` }), {
    name: 'contract: ioredis and node-redis instances sharing one prefix',
    sleep: (ms) => sleep(ms),
    makePeer: () => createRedisStore({ client: nodePeer, namespace: 'test', prefix: `${prefix}mixed:` }),
  });
});
