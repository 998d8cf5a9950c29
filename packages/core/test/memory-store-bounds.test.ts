import { createHash } from 'node:crypto';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { createMemoryStore, type ClaimState } from '@hookproof/core';

// Issue 15 item 7: the in-memory store is bounded in bytes per entry, not only in
// entries. Runs on both builds (core: node:crypto; core-web: Web Crypto, where hashing
// a long key is asynchronous, so every call here is awaited).

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function heapAfterGc(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/** A fresh string of `length` one-byte characters, unique per `n`, sharing nothing with the others. */
function longId(n: number, length: number): string {
  return `${n}:`.padEnd(length, String.fromCharCode(97 + (n % 26)));
}

const MiB = 1024 * 1024;

describe('memory store: bytes per entry', () => {
  it('an id of 1 MiB costs a bounded entry, not 1 MiB (keys over 256 characters are kept as their SHA-256)', async () => {
    const store = createMemoryStore();
    const n = 48;
    const states: ClaimState[] = [];
    const before = heapAfterGc();
    for (let i = 0; i < n; i++) {
      const key = `aidelly:${longId(i, MiB)}`;
      states.push(await store.claim(key, 60_000));
      await store.complete(key, 60_000);
    }
    const grown = heapAfterGc() - before;
    console.log(`memory store, ${n} ids of 1 MiB: heap +${Math.round(grown / 1024)} KiB (${Math.round(grown / n)} B per entry)`);
    expect(states.every((s) => s === 'new')).toBe(true);
    expect(store.size).toBe(n);
    // Before the fix each entry kept its 1 MiB key: +48 MiB.
    expect(grown).toBeLessThan(2 * MiB);
    // The hashed keys still dedupe: the same long id is done, a different one is new.
    expect(await store.claim(`aidelly:${longId(0, MiB)}`, 60_000)).toBe('done');
    expect(await store.claim(`aidelly:${longId(n, MiB)}`, 60_000)).toBe('new');
  });

  it('worst case: 10 000 entries with 256-character two-byte keys hold about 700 bytes each at most', async () => {
    const store = createMemoryStore({ maxEntries: 10_000 });
    const before = heapAfterGc();
    for (let i = 0; i < 10_000; i++) {
      const key = `${i}:`.padEnd(256, 'ä✓');
      await store.complete(key, 60_000);
    }
    const perEntry = (heapAfterGc() - before) / 10_000;
    console.log(`memory store, 10 000 keys of 256 two-byte characters: ${Math.round(perEntry)} B per entry`);
    expect(store.size).toBe(10_000);
    expect(perEntry).toBeLessThan(768); // 671 B measured on Node 20 (64-bit); docs/dedupe.md says "about 700"
  });

  it('long keys stay exact: ids differing in one character, or only in a lone surrogate, are different keys', async () => {
    const store = createMemoryStore();
    const base = 'x'.repeat(300);
    const keys = [`${base}a`, `${base}b`, `${base}\ud800`, `${base}\udc00`, `${base}\ufffd`];
    for (const key of keys) expect(await store.claim(key, 60_000)).toBe('new');
    for (const key of keys) expect(await store.claim(key, 60_000)).toBe('in_progress');
  });

  it('a short key cannot pose as the digest of a long one', async () => {
    const store = createMemoryStore();
    const long = 'evt_'.padEnd(1000, 'z');
    // The stored form of a long key, computed independently: "\0#" + SHA-256 of its UTF-16 code units.
    const lookalike = `\0#${createHash('sha256').update(Buffer.from(long, 'utf16le')).digest('hex')}`;
    expect(await store.claim(long, 60_000)).toBe('new');
    await store.complete(long, 60_000);
    expect(await store.claim(lookalike, 60_000)).toBe('new');
    expect(await store.claim(`\0${lookalike}`, 60_000)).toBe('new');
    expect(await store.claim(long, 60_000)).toBe('done');
  });

  it('keys of exactly 256 characters are kept as they are; 257 are hashed; both dedupe', async () => {
    const store = createMemoryStore();
    const states: ClaimState[] = [];
    for (const length of [255, 256, 257, 258]) {
      const key = 'k'.repeat(length);
      states.push(await store.claim(key, 60_000), await store.claim(key, 60_000));
      await store.release(key);
      states.push(await store.claim(key, 60_000));
    }
    expect(states).toEqual(Array.from({ length: 4 }, () => ['new', 'in_progress', 'new']).flat());
  });
});

describe('memory store: evictions the app can read', () => {
  it('`evicted` counts entries dropped before they expired, not expired ones', () => {
    let now = 0;
    const store = createMemoryStore({ maxEntries: 2, now: () => now });
    expect(store.evicted).toBe(0);
    store.complete('a', 1000);
    store.complete('b', 1000);
    store.complete('c', 1000); // evicts 'a' while still remembered: early
    expect(store.evicted).toBe(1);
    now = 2000; // 'b' and 'c' expired
    store.complete('d', 1000); // evicts an expired entry: not early
    expect(store.evicted).toBe(1);
    store.claim('e', 1000); // evicts the other expired one
    expect(store.evicted).toBe(1);
    store.claim('f', 1000); // full of live entries: 'd' (done) goes early
    expect(store.evicted).toBe(2);
    store.claim('g', 1000); // only live claims: the oldest goes early
    expect(store.evicted).toBe(3);
    expect(store.size).toBe(2);
  });
});

describe('memory store: eviction and replay protection (documented in docs/dedupe.md)', () => {
  it('Aidelly signs no timestamp: once an id is evicted early, a replay of its delivery runs the handlers again, and `evicted` says so', async () => {
    const { createHmac } = await import('node:crypto');
    const { createReceiver } = await import('@hookproof/core');
    const secret = 'whsec_eviction-test';
    const store = createMemoryStore({ maxEntries: 2 });
    const receiver = createReceiver({ vendor: 'aidelly', secret, dedupe: store });
    let runs = 0;
    receiver.onAny(() => void runs++);
    const delivery = (n: number) => {
      const body = JSON.stringify({ event: 'post.published', workspace_id: 'w', brand_id: 'b', data: { n }, created_at: '2026-01-01T00:00:00Z' });
      return { body, headers: { 'aidelly-signature': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}` } };
    };
    const first = delivery(1);
    expect((await receiver.receive(first)).status).toBe(200);
    expect((await receiver.receive(first)).body).toMatchObject({ error: 'duplicate' });
    await receiver.receive(delivery(2));
    await receiver.receive(delivery(3)); // the store is full: the first id is forgotten early
    expect(store.evicted).toBe(1);
    const replay = await receiver.receive(first);
    expect(replay.body).toMatchObject({ ok: true });
    expect(runs).toBe(4);
  });
});
