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
}

/** Options of `createMemoryStore`. */
export interface MemoryStoreOptions {
  /** Entries kept at most; the oldest finished or expired entries go first. Default 10 000. */
  maxEntries?: number;
  /** Clock in ms, injectable for tests. */
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

/** The in-memory `DedupeStore`; `size` is the number of entries held (for tests and metrics). */
export interface MemoryStore extends DedupeStore {
  readonly size: number;
}

/**
 * The default store: one process's memory, bounded in size, expiring lazily (no
 * timers, so it never keeps a process alive). Use `@hookproof/redis` when several
 * instances receive the same vendor's deliveries.
 */
export function createMemoryStore(options: MemoryStoreOptions = {}): MemoryStore {
  const max = options.maxEntries ?? 10_000;
  if (!Number.isInteger(max) || max < 1) {
    throw new TypeError(`@hookproof: createMemoryStore maxEntries must be a positive integer, got ${String(max)}.`);
  }
  const now = options.now ?? Date.now;
  const entries = new Map<string, Entry>();

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
        entries.delete(key);
        return;
      }
      if (++scanned >= EVICTION_SCAN) break;
    }
    const oldest = entries.keys().next();
    if (oldest.done !== true) entries.delete(oldest.value);
  }

  return {
    get size() {
      return entries.size;
    },
    claim(key, ttlMs) {
      const entry = entries.get(key);
      if (entry !== undefined && entry.expiresAt > now()) return entry.state;
      // An expired claim's holder may still be running: count it, so its late
      // `release` cannot free the claim taken here (see DedupeStore.release).
      const stale = entry !== undefined && entry.state === 'in_progress' ? entry.holders : 0;
      set(key, { state: 'in_progress', expiresAt: now() + ttlMs, holders: stale + 1 });
      return 'new';
    },
    complete(key, ttlMs) {
      set(key, { state: 'done', expiresAt: now() + ttlMs, holders: 0 });
    },
    release(key) {
      const entry = entries.get(key);
      if (entry === undefined || entry.state !== 'in_progress') return;
      // Two holders and no way to tell which is calling: free nothing; the last one out does.
      if (entry.holders > 1) entry.holders -= 1;
      else entries.delete(key);
    },
  };
}
