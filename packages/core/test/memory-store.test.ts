import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMemoryStore } from '@hookproof/core';

describe('memory store: size bound and TTL', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('never holds more than maxEntries', () => {
    const store = createMemoryStore({ maxEntries: 100 });
    for (let i = 0; i < 1000; i++) store.claim(`k${i}`, 60_000);
    expect(store.size).toBe(100);
    for (let i = 0; i < 1000; i++) store.complete(`d${i}`, 60_000);
    expect(store.size).toBe(100);
  });

  it('at the bound, evicts an expired or done entry before a live claim', () => {
    let now = 0;
    const store = createMemoryStore({ maxEntries: 3, now: () => now });
    store.claim('live-1', 10_000);
    store.complete('done', 10_000);
    store.claim('live-2', 10_000);
    expect(store.claim('live-3', 10_000)).toBe('new'); // evicts 'done', the oldest finished
    expect(store.size).toBe(3);
    expect(store.claim('live-1', 10_000)).toBe('in_progress');
    expect(store.claim('live-2', 10_000)).toBe('in_progress');
    expect(store.claim('done', 10_000)).toBe('new'); // forgotten: now a fresh claim, evicting live-1 (oldest)
    expect(store.claim('live-1', 10_000)).toBe('new');
  });

  it('an expired entry is answered as free without waiting for eviction', () => {
    let now = 0;
    const store = createMemoryStore({ now: () => now });
    store.complete('k', 100);
    expect(store.claim('k', 100)).toBe('done');
    now = 100; // expiresAt is exclusive
    expect(store.claim('k', 100)).toBe('new');
  });

  it('starts no timers (so it never keeps a process alive)', () => {
    const timeout = vi.spyOn(globalThis, 'setTimeout');
    const interval = vi.spyOn(globalThis, 'setInterval');
    const store = createMemoryStore({ maxEntries: 10 });
    for (let i = 0; i < 50; i++) {
      store.claim(`k${i}`, 1);
      if (i % 2 === 0) store.complete(`k${i}`, 1);
      else store.release(`k${i}`);
    }
    expect(timeout.mock.calls.length + interval.mock.calls.length).toBe(0);
  });

  it('rejects a maxEntries that is not a positive integer, naming the option', () => {
    for (const bad of [0, -1, 1.5, Number.NaN]) {
      expect(() => createMemoryStore({ maxEntries: bad })).toThrow(/maxEntries must be a positive integer/);
    }
  });
});
