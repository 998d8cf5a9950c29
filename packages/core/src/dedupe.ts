/**
 * Exactly-once processing across retries. A store answers `claim(key)` with
 * `new` (you own it now: process, then `complete` or `release`), `in_progress`
 * (someone else is processing it: answer 409 so the vendor retries later) or
 * `done` (already processed: answer 200 so the vendor stops). A claim expires after
 * its `ttlMs`, so a receiver that dies mid-handler does not block the delivery forever.
 * Stores may be sync or async; errors thrown by a store become a 503 (`store_unavailable`).
 */
export type ClaimState = 'new' | 'in_progress' | 'done';

export interface DedupeStore {
  /** Atomically claim `key` for `ttlMs` unless it is already claimed or done. */
  claim(key: string, ttlMs: number): ClaimState | Promise<ClaimState>;
  /** Mark `key` processed; remember it for `ttlMs` so later duplicates get `done`. */
  complete(key: string, ttlMs: number): void | Promise<void>;
  /** Drop a claim after a failure, so the vendor's next retry is processed. */
  release(key: string): void | Promise<void>;
}

export interface MemoryStoreOptions {
  /** Entries kept at most; the oldest finished or expired entries go first. Default 10 000. */
  maxEntries?: number;
  /** Clock in ms, injectable for tests. */
  now?: () => number;
}

interface Entry {
  state: 'in_progress' | 'done';
  expiresAt: number;
}

/** How many of the oldest entries an insert at the bound inspects for one to evict. */
const EVICTION_SCAN = 64;

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
      set(key, { state: 'in_progress', expiresAt: now() + ttlMs });
      return 'new';
    },
    complete(key, ttlMs) {
      set(key, { state: 'done', expiresAt: now() + ttlMs });
    },
    release(key) {
      const entry = entries.get(key);
      if (entry !== undefined && entry.state === 'in_progress') entries.delete(key);
    },
  };
}
