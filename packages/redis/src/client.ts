import type { Script } from './scripts.js';

/**
 * The part of an ioredis client (`new Redis()`, or a `Cluster`) this store uses.
 * ioredis spells commands in lower case and takes script keys and arguments positionally.
 */
export interface IoRedisLike {
  evalsha(sha: string, numKeys: number, ...keysAndArgs: string[]): Promise<unknown>;
  eval(source: string, numKeys: number, ...keysAndArgs: string[]): Promise<unknown>;
}

/** The part of a node-redis v4/v5 client (`createClient()`) this store uses. */
export interface NodeRedisLike {
  evalSha(sha: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
  eval(source: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
}

/** A connected client of either library; the store detects which by its methods. */
export type RedisClientLike = IoRedisLike | NodeRedisLike;

export type ClientKind = 'ioredis' | 'node-redis';

/** Runs a script on one key; resolves the raw reply. */
export type RunScript = (script: Script, key: string, args: readonly string[]) => Promise<unknown>;

function isNodeRedis(client: object): client is NodeRedisLike {
  return (
    typeof (client as Partial<NodeRedisLike>).evalSha === 'function' &&
    typeof (client as Partial<NodeRedisLike>).eval === 'function'
  );
}

function isIoRedis(client: object): client is IoRedisLike {
  return (
    typeof (client as Partial<IoRedisLike>).evalsha === 'function' &&
    typeof (client as Partial<IoRedisLike>).eval === 'function'
  );
}

export function clientKind(client: unknown): ClientKind | undefined {
  if (typeof client !== 'object' || client === null) return undefined;
  // node-redis first: its camelCase `evalSha` is what tells the two apart.
  if (isNodeRedis(client)) return 'node-redis';
  if (isIoRedis(client)) return 'ioredis';
  return undefined;
}

function isNoScript(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('NOSCRIPT');
}

/**
 * EVALSHA, falling back to EVAL when Redis has not cached the script yet (first use,
 * after SCRIPT FLUSH, a restart or a failover); EVAL caches it for the next call.
 */
export function scriptRunner(client: RedisClientLike): RunScript {
  if (isNodeRedis(client)) {
    return async (script, key, args) => {
      const options = { keys: [key], arguments: [...args] };
      try {
        return await client.evalSha(script.sha, options);
      } catch (error) {
        if (!isNoScript(error)) throw error;
        return client.eval(script.source, options);
      }
    };
  }
  const io = client;
  return async (script, key, args) => {
    try {
      return await io.evalsha(script.sha, 1, key, ...args);
    } catch (error) {
      if (!isNoScript(error)) throw error;
      return io.eval(script.source, 1, key, ...args);
    }
  };
}
