import { cryptoPort } from './crypto-node.js';

/**
 * Exactly-once processing across retries and instances. The full contract, with the
 * reasons, is docs/dedupe.md; `dedupeStoreContract` is the test suite every store
 * must pass. In short, a store answers `claim(key, ttlMs)` with
 *
 * - `new`: the caller owns the key now. It processes the event, then calls
 *   `complete` (processed) or `release` (failed, let a retry try again).
 * - `in_progress`: another holder is processing it; the receiver answers 409 so the
 *   vendor retries later.
 * - `done`: already processed; the receiver answers 200 so the vendor stops.
 *
 * Stores may be sync or async. A store that cannot answer must throw or reject
 * (never guess `new` or `done`): the receiver then answers 503 `store_unavailable`,
 * so the vendor retries and nothing is acknowledged that was not processed.
 */
export type ClaimState = 'new' | 'in_progress' | 'done';

/** Where processed event ids are remembered; sync or async. `@hookproof/redis` implements it for many instances. */
export interface DedupeStore {
  /**
   * Atomically: if `key` is done, `done`; if a live claim holds it, `in_progress`;
   * otherwise take a claim that lasts `ttlMs` and answer `new`. Of any number of
   * concurrent claims on a free key, across every instance sharing the store, exactly
   * one gets `new`. A claim whose `ttlMs` has passed is free again, so a holder that
   * died mid-handler does not block the vendor's retry forever.
   */
  claim(key: string, ttlMs: number): ClaimState | Promise<ClaimState>;
  /**
   * Mark `key` processed and remember that for `ttlMs`, whoever holds the claim now:
   * the event was processed, even if this holder's claim expired meanwhile. Later
   * claims answer `done` until `ttlMs` passes. Works on a key that was never claimed.
   */
  complete(key: string, ttlMs: number): void | Promise<void>;
  /**
   * Drop the caller's claim after a failure, so the vendor's next retry is processed.
   * Frees only a claim the caller still holds: never a `done` key, and never a newer
   * claim another holder took after the caller's expired. When a store cannot tell
   * which of two holders of one key is calling, it frees nothing and lets the claim
   * expire (a retry waits up to the claim TTL; it is never processed twice at once).
   * Releasing a key that is not claimed is a no-op.
   */
  release(key: string): void | Promise<void>;
  /**
   * Set by a store that fixes the claim TTL itself (`createRedisStore({ claimTtlMs })`),
   * so every instance uses the same: the receiver then passes it to `claim` and checks it
   * against the vendor's retry schedule at setup.
   */
  readonly claimTtlMs?: number | undefined;
}

/** Options of `createMemoryStore`. */
export interface MemoryStoreOptions {
  /**
   * Entries kept at most; the oldest finished or expired entries go first. Default 10 000.
   * An entry holds at most about 700 bytes (64-bit Node; keys longer than 256 characters
   * are kept as their SHA-256), so the store's worst case is about `maxEntries * 700`
   * bytes: ~7 MB at the default.
   */
  maxEntries?: number;
  /** Clock in ms, injectable for tests. A receiver's default store uses the receiver's `now`. */
  now?: () => number;
}

interface Entry {
  state: 'in_progress' | 'done';
  expiresAt: number;
  /**
   * Claims granted on this key whose holders have not called `complete` or `release`
   * yet: more than one only after a claim expired under a still-running holder.
   */
  holders: number;
}

/** How many of the oldest entries an insert at the bound inspects for one to evict. */
const EVICTION_SCAN = 64;

/**
 * Keys up to this many UTF-16 code units are kept as they are; longer ones as their
 * SHA-256. An event id comes from the vendor's signed body, up to `maxBodyBytes` long:
 * kept as is, a 1 MiB id would cost 1 MiB (2 MiB as a two-byte string) per entry.
 */
const MAX_STORED_KEY_LENGTH = 256;

/** The in-memory `DedupeStore`. */
export interface MemoryStore extends DedupeStore {
  /** The number of entries held (for tests and metrics). */
  readonly size: number;
  /**
   * How many entries were evicted before they expired because the store was full: each
   * is a processed event forgotten early (a retry or a replay of it runs the handlers
   * again) or a live claim dropped. Watch it: a growing count means `maxEntries` is too
   * small for the deliveries of one `dedupeTtlMs`.
   */
  readonly evicted: number;
}

function hex(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += (bytes[i]! < 16 ? '0' : '') + bytes[i]!.toString(16);
  return out;
}

/**
 * The Map key for `key`: itself when short, else `\0#` + the SHA-256 of its UTF-16 code
 * units (exact: two different strings never share one, lone surrogates included). A
 * short key starting with `\0` gets a second `\0`, so no short key can look like a
 * hashed one. Synchronous on Node; a promise on the Web Crypto build (long keys only).
 */
function storedKey(key: string): string | Promise<string> {
  if (key.length <= MAX_STORED_KEY_LENGTH) return key.charCodeAt(0) === 0 ? `\0${key}` : key;
  const units = new Uint16Array(key.length);
  for (let i = 0; i < key.length; i++) units[i] = key.charCodeAt(i);
  const digest = cryptoPort.sha256(new Uint8Array(units.buffer));
  return digest instanceof Promise ? digest.then((d) => `\0#${hex(d)}`) : `\0#${hex(digest)}`;
}

/**
 * The default store: one process's memory, bounded in entries and in bytes per entry,
 * expiring lazily (no timers, so it never keeps a process alive). Use `@hookproof/redis`
 * when several instances receive the same vendor's deliveries.
 */
export function createMemoryStore(options: MemoryStoreOptions = {}): MemoryStore {
  const max = options.maxEntries ?? 10_000;
  if (!Number.isInteger(max) || max < 1) {
    throw new TypeError(`@hookproof: createMemoryStore maxEntries must be a positive integer, got ${String(max)}.`);
  }
  const now = options.now ?? Date.now;
  const entries = new Map<string, Entry>();
  let evicted = 0;

  function set(key: string, entry: Entry): void {
    entries.delete(key);
    if (entries.size >= max) evictOne();
    entries.set(key, entry);
  }

  function evictOne(): void {
    const t = now();
    let scanned = 0;
    for (const [key, entry] of entries) {
      if (entry.expiresAt <= t || entry.state === 'done') {
        if (entry.expiresAt > t) evicted++;
        entries.delete(key);
        return;
      }
      if (++scanned >= EVICTION_SCAN) break;
    }
    const oldest = entries.entries().next();
    if (oldest.done === true) return;
    if (oldest.value[1].expiresAt > t) evicted++;
    entries.delete(oldest.value[0]);
  }

  function claim(key: string, ttlMs: number): ClaimState {
    const entry = entries.get(key);
    if (entry !== undefined && entry.expiresAt > now()) return entry.state;
    // An expired claim's holder may still be running: count it, so its late
    // `release` cannot free the claim taken here (see DedupeStore.release).
    const stale = entry !== undefined && entry.state === 'in_progress' ? entry.holders : 0;
    set(key, { state: 'in_progress', expiresAt: now() + ttlMs, holders: stale + 1 });
    return 'new';
  }

  function complete(key: string, ttlMs: number): void {
    set(key, { state: 'done', expiresAt: now() + ttlMs, holders: 0 });
  }

  function release(key: string): void {
    const entry = entries.get(key);
    if (entry === undefined || entry.state !== 'in_progress') return;
    // Two holders and no way to tell which is calling: free nothing; the last one out does.
    if (entry.holders > 1) entry.holders -= 1;
    else entries.delete(key);
  }

  return {
    get size() {
      return entries.size;
    },
    get evicted() {
      return evicted;
    },
    // Short keys (every key on Node) take no promise and no closure: the receiver
    // answers without a microtask when its store is synchronous (bench/README.md#the-synchronous-path).
    claim(key, ttlMs) {
      const k = storedKey(key);
      return typeof k === 'string' ? claim(k, ttlMs) : k.then((hashed) => claim(hashed, ttlMs));
    },
    complete(key, ttlMs) {
      const k = storedKey(key);
      return typeof k === 'string' ? complete(k, ttlMs) : k.then((hashed) => complete(hashed, ttlMs));
    },
    release(key) {
      const k = storedKey(key);
      return typeof k === 'string' ? release(k) : k.then(release);
    },
  };
}
