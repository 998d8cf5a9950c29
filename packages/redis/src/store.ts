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
  /**
   * Required: the name of the application (service) this store remembers events for,
   * e.g. `'billing'`. Every instance of one application uses the same namespace; two
   * applications that receive the same vendor events on one Redis use different ones, or
   * the second would answer `duplicate` to every event the first processed and never run
   * its handlers. Letters, digits, `.`, `_` and `-`.
   */
  namespace: string;
  /** Prepended to every key, before the namespace. Default `hookproof:dedupe:`. */
  prefix?: string;
  /**
   * How long a processed event is remembered. When set it wins over the receiver's
   * `dedupeTtlMs`, so every instance sharing this Redis uses the same value.
   */
  ttlMs?: number;
  /**
   * How long a claim lasts if its holder dies mid-handler. When set it wins over the
   * receiver's `claimTtlMs`, and the receiver checks it against the vendor's retry
   * schedule (it must end before the vendor's last retry). Make it longer than your
   * slowest handler.
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
  readonly namespace: string;
  /** The fixed claim TTL, when given; the receiver then uses it for every claim. */
  readonly claimTtlMs: number | undefined;
  claim(key: string, ttlMs: number): Promise<ClaimState>;
  complete(key: string, ttlMs: number): Promise<void>;
  release(key: string): Promise<void>;
}

export const DEFAULT_PREFIX = 'hookproof:dedupe:';
export const DEFAULT_COMMAND_TIMEOUT_MS = 2000;

/** Claims given up on and not yet released, at most; past it the oldest is left to expire by its TTL. */
const MAX_ORPHANS = 10_000;
/** Waits between release attempts while Redis does not answer: doubling from the first to the last. */
const ORPHAN_RETRY_MS = [50, 1000] as const;

const NAMESPACE = /^[A-Za-z0-9._-]{1,100}$/;

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
  const { namespace } = options;
  if (namespace === undefined) {
    throw setupError(
      "createRedisStore({ client, namespace }) needs a `namespace`: the name of this application, e.g. namespace: 'billing'. " +
        'Two applications sharing a Redis must use different ones, or one answers `duplicate` to the events the other processed and never runs its handlers; every instance of one application uses the same.',
    );
  }
  if (typeof namespace !== 'string' || !NAMESPACE.test(namespace)) {
    throw setupError(
      `createRedisStore namespace must be 1 to 100 letters, digits, '.', '_' or '-', got ${JSON.stringify(namespace)}.`,
    );
  }
  const prefix = options.prefix ?? DEFAULT_PREFIX;
  if (typeof prefix !== 'string') throw setupError('createRedisStore prefix must be a string.');
  const keyPrefix = `${prefix}${namespace}:`;
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
    if (typeof key !== 'string' || key.length === 0)
      throw setupError(`${operation}(key) needs a non-empty string key.`);
    return keyPrefix + key;
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
  function bounded(operation: RedisStoreOperation, key: string, command: Promise<unknown>): Promise<unknown> {
    return new Promise((resolve, reject) => {
      let settled = false;
      const timer = setTimeout(() => {
        settled = true;
        reject(new RedisStoreError('redis_timeout', operation, key, `no reply within ${timeoutMs} ms`));
      }, timeoutMs);
      timer.unref();
      command.then(
        (reply) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          resolve(reply);
        },
        (cause: unknown) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          reject(
            new RedisStoreError(
              'redis_error',
              operation,
              key,
              cause instanceof Error ? cause.message : String(cause),
              cause,
            ),
          );
        },
      );
    });
  }

  /**
   * Claims this instance gave up on (the client's error or timeout, ours, or a reply we
   * could not read), by token. The claim may still reach Redis: a command the client
   * timed out is usually on the wire already, and Redis runs it when it answers again.
   * Left alone it would hold the event for the claim TTL, every retry answered 409 (and
   * a failed `release` likewise). So each is released by token (compare-and-delete:
   * never anyone else's claim) until Redis answers the release. On the same connection
   * the release runs after the claim it undoes; if it found nothing (the claim never
   * left, or is still on a connection the client replaced), it is sent once more after
   * `commandTimeoutMs`.
   */
  const orphans = new Map<string, { readonly key: string; readonly last: boolean }>();
  let draining = false;

  function orphan(rk: string, token: string, last = false): void {
    if (orphans.size >= MAX_ORPHANS) {
      const oldest = orphans.keys().next();
      if (oldest.done !== true) orphans.delete(oldest.value);
    }
    orphans.set(token, { key: rk, last });
    if (!draining) void drain();
  }

  async function drain(): Promise<void> {
    draining = true;
    let wait: number = ORPHAN_RETRY_MS[0];
    try {
      for (let next = orphans.entries().next(); next.done !== true; next = orphans.entries().next()) {
        const [token, { key, last }] = next.value;
        try {
          const deleted = await bounded('release', key, run(RELEASE, key, [token]));
          orphans.delete(token);
          wait = ORPHAN_RETRY_MS[0];
          if (deleted !== 1 && !last) setTimeout(() => orphan(key, token, true), timeoutMs).unref();
        } catch {
          // Redis still away: try again later, without keeping the process alive for it.
          await new Promise<void>((resolve) => setTimeout(resolve, wait).unref());
          wait = Math.min(wait * 2, ORPHAN_RETRY_MS[1]);
        }
      }
    } finally {
      draining = false;
    }
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
    namespace,
    claimTtlMs: fixedClaimTtlMs,
    async claim(key, ttlMs) {
      const rk = redisKey('claim', key);
      const px = ttl('claim', fixedClaimTtlMs, ttlMs);
      const token = CLAIM_PREFIX + randomUUID();
      let reply: unknown;
      try {
        reply = await bounded('claim', rk, run(CLAIM, rk, [token, px]));
      } catch (error) {
        // The receiver answers 503, so nobody will process under this claim if it lands.
        orphan(rk, token);
        throw error;
      }
      const state = replyText(reply);
      if (state === 'new') {
        const tokens = held.get(rk);
        if (tokens === undefined) held.set(rk, [token]);
        else tokens.push(token);
        return state;
      }
      if (state === 'done' || state === 'in_progress') return state;
      orphan(rk, token);
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
      const token = tokens[0] as string;
      try {
        await bounded('release', rk, run(RELEASE, rk, [token]));
      } catch (error) {
        orphan(rk, token); // released once Redis answers, so the retry need not wait for the claim TTL
        throw error;
      }
    },
  };
}
