import { randomUUID } from 'node:crypto';
import { clearTimeout, setTimeout } from 'node:timers';
import type { ClaimState, DedupeStore } from '@hookproof/core';
import { clientKind, scriptRunner, type ClientKind, type RedisClientLike } from './client.js';
import { RedisStoreError, type RedisStoreOperation } from './errors.js';
import { CLAIM, CLAIM_PREFIX, COMPLETE, RELEASE } from './scripts.js';

export interface RedisStoreOptions {
  /**
   * A connected ioredis or node-redis client. The store never connects, quits or adds
   * listeners to it: it is yours. See the README for the options that make it fail
   * fast when Redis is down instead of queueing commands.
   */
  client: RedisClientLike;
  /** Prepended to every key. Default `hookproof:dedupe:`. */
  prefix?: string;
  /**
   * How long a processed event is remembered. When set it wins over the receiver's
   * `dedupeTtlMs`, so every instance sharing this Redis uses the same value.
   */
  ttlMs?: number;
  /**
   * How long a claim lasts if its holder dies mid-handler. When set it wins over the
   * receiver's `claimTtlMs`. Make it longer than your slowest handler.
   */
  claimTtlMs?: number;
  /**
   * Upper bound on one Redis round trip, in ms; past it the operation rejects with
   * `redis_timeout` (a claim becomes a 503). Default 2000.
   */
  commandTimeoutMs?: number;
}

export interface RedisStore extends DedupeStore {
  /** Which client library the store detected. */
  readonly clientKind: ClientKind;
  readonly prefix: string;
  claim(key: string, ttlMs: number): Promise<ClaimState>;
  complete(key: string, ttlMs: number): Promise<void>;
  release(key: string): Promise<void>;
}

export const DEFAULT_PREFIX = 'hookproof:dedupe:';
export const DEFAULT_COMMAND_TIMEOUT_MS = 2000;

function setupError(message: string): TypeError {
  return new TypeError(`@hookproof/redis: ${message}`);
}

function positive(name: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw setupError(`createRedisStore ${name} must be a positive number of milliseconds, got ${String(value)}.`);
  }
  return value;
}

function replyText(reply: unknown): string | undefined {
  if (typeof reply === 'string') return reply;
  if (reply instanceof Uint8Array) return Buffer.from(reply).toString('utf8');
  return undefined;
}

/**
 * A `DedupeStore` on Redis, shared by every receiver instance that uses the same
 * Redis and prefix. Each operation is one Lua script (atomic on the server). A claim
 * stores a random token, so `release` deletes only the claim this instance took,
 * never a newer one another holder took after this one expired; see docs/dedupe.md.
 */
export function createRedisStore(options: RedisStoreOptions): RedisStore {
  if (typeof options !== 'object' || options === null) throw setupError('createRedisStore(options) needs { client }.');
  const kind = clientKind(options.client);
  if (kind === undefined) {
    throw setupError(
      'createRedisStore({ client }) needs an ioredis client (new Redis(url)) or a node-redis client (createClient({ url })), ' +
        `got ${options.client === null ? 'null' : typeof options.client}.`,
    );
  }
  const prefix = options.prefix ?? DEFAULT_PREFIX;
  if (typeof prefix !== 'string') throw setupError('createRedisStore prefix must be a string.');
  const fixedTtlMs = positive('ttlMs', options.ttlMs);
  const fixedClaimTtlMs = positive('claimTtlMs', options.claimTtlMs);
  const timeoutMs = positive('commandTimeoutMs', options.commandTimeoutMs) ?? DEFAULT_COMMAND_TIMEOUT_MS;
  const run = scriptRunner(options.client);
  /**
   * Tokens of this instance's unfinished claims, oldest first. Normally one per key;
   * two only when a claim expired while its holder was still running and this same
   * instance re-claimed the key.
   */
  const held = new Map<string, string[]>();

  function redisKey(operation: RedisStoreOperation, key: unknown): string {
    if (typeof key !== 'string' || key.length === 0) throw setupError(`${operation}(key) needs a non-empty string key.`);
    return prefix + key;
  }

  function ttl(operation: RedisStoreOperation, fixed: number | undefined, given: unknown): string {
    const value = fixed ?? given;
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
      throw setupError(`${operation}(key, ttlMs) needs a positive ttlMs, got ${String(value)}.`);
    }
    // PX takes whole milliseconds; round up so a TTL never shrinks to 0.
    return String(Math.ceil(value));
  }

  /** The command's reply, or a RedisStoreError once it fails or `timeoutMs` passes. */
  function bounded(operation: RedisStoreOperation, key: string, command: Promise<unknown>, onLate?: (reply: unknown) => void): Promise<unknown> {
    return new Promise((resolve, reject) => {
      let settled = false;
      const timer = setTimeout(() => {
        settled = true;
        reject(new RedisStoreError('redis_timeout', operation, key, `no reply within ${timeoutMs} ms`));
      }, timeoutMs);
      timer.unref();
      command.then(
        (reply) => {
          if (settled) return onLate?.(reply);
          settled = true;
          clearTimeout(timer);
          resolve(reply);
        },
        (cause: unknown) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          reject(new RedisStoreError('redis_error', operation, key, cause instanceof Error ? cause.message : String(cause), cause));
        },
      );
    });
  }

  function dropOldest(key: string): string | undefined {
    const tokens = held.get(key);
    const token = tokens?.shift();
    if (tokens !== undefined && tokens.length === 0) held.delete(key);
    return token;
  }

  return {
    clientKind: kind,
    prefix,
    async claim(key, ttlMs) {
      const rk = redisKey('claim', key);
      const px = ttl('claim', fixedClaimTtlMs, ttlMs);
      const token = CLAIM_PREFIX + randomUUID();
      const reply = await bounded('claim', rk, run(CLAIM, rk, [token, px]), (late) => {
        // We answered 503 already, so nobody will process under this claim: free it
        // now rather than make the vendor's retry wait for claimTtlMs.
        if (replyText(late) === 'new') run(RELEASE, rk, [token]).catch(() => undefined);
      });
      const state = replyText(reply);
      if (state === 'new') {
        const tokens = held.get(rk);
        if (tokens === undefined) held.set(rk, [token]);
        else tokens.push(token);
        return state;
      }
      if (state === 'done' || state === 'in_progress') return state;
      throw new RedisStoreError('unexpected_reply', 'claim', rk, `the claim script answered ${JSON.stringify(reply)}`);
    },
    async complete(key, ttlMs) {
      const rk = redisKey('complete', key);
      const px = ttl('complete', fixedTtlMs, ttlMs);
      dropOldest(rk);
      await bounded('complete', rk, run(COMPLETE, rk, [px]));
    },
    async release(key) {
      const rk = redisKey('release', key);
      const tokens = held.get(rk);
      if (tokens === undefined) return; // not claimed here: nothing of ours to free
      if (tokens.length > 1) {
        // Two holders in this instance and no way to tell which one is calling: free
        // nothing in Redis (the claim expires by itself) and let the last one out decide.
        tokens.shift();
        return;
      }
      held.delete(rk);
      await bounded('release', rk, run(RELEASE, rk, [tokens[0] as string]));
    },
  };
}
