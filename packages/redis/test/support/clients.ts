import { Redis, type RedisOptions } from 'ioredis';
import { createClient } from 'redis';

/** The ioredis options the README recommends: fail fast while Redis is away. */
export function ioredisClient(url: string, extra: RedisOptions = {}): Redis {
  const client = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: 1000,
    connectTimeout: 1000,
    retryStrategy: () => 100,
    lazyConnect: true,
    ...extra,
  });
  client.on('error', () => undefined); // reported through the rejected commands
  return client;
}

export async function connectedIoredis(url: string, extra: RedisOptions = {}): Promise<Redis> {
  const client = ioredisClient(url, extra);
  await client.connect();
  return client;
}

export type NodeRedisClient = ReturnType<typeof createClient>;

/** The node-redis options the README recommends. */
export function nodeRedisClient(url: string): NodeRedisClient {
  const client = createClient({
    url,
    disableOfflineQueue: true,
    commandOptions: { timeout: 1000 },
    socket: { connectTimeout: 1000, reconnectStrategy: () => 100 },
  });
  client.on('error', () => undefined); // without a listener node-redis would crash the process
  return client;
}

export async function connectedNodeRedis(url: string): Promise<NodeRedisClient> {
  const client = nodeRedisClient(url);
  await client.connect();
  return client;
}

/** A unique key prefix per test file run, so runs on a shared Redis never collide. */
export function uniquePrefix(label: string): string {
  return `hookproof-test:${label}:${process.pid}:${Date.now().toString(36)}:`;
}

/** Deletes every key under `prefix` (tests may run against a developer's own Redis). */
export async function deleteKeys(client: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    if (keys.length > 0) await client.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}
