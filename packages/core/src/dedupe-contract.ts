import type { ClaimState, DedupeStore } from './dedupe.js';

/**
 * The few test primitives the contract needs, taken from the caller so core keeps
 * zero runtime dependencies. vitest's and jest's `describe`, `it` and `expect` fit.
 */
export interface ContractTestApi {
  describe(name: string, body: () => void): unknown;
  it(name: string, body: () => Promise<void>): unknown;
  expect(actual: unknown): { toBe(expected: unknown): unknown; toEqual(expected: unknown): unknown };
}

export interface DedupeStoreContractOptions {
  /**
   * Lets `ms` pass for the store: a real sleep for a store on a server, an advance of
   * the injected clock for one that takes `now` (then the suite runs in no time).
   */
  sleep(ms: number): Promise<void> | void;
  /**
   * The TTL of the expiry cases, in ms. Long enough that two consecutive calls always
   * fit in it, short enough to wait for. Default 100.
   */
  shortTtlMs?: number;
  /**
   * A second handle on the same data, as another process would have (for Redis: a
   * store with its own client and the same prefix). Enables the cross-instance cases.
   */
  makePeer?(store: DedupeStore): DedupeStore | Promise<DedupeStore>;
  /** Concurrent claims in the race cases. Default 50. */
  concurrency?: number;
  /** Title of the `describe` block. Default `DedupeStore contract`. */
  name?: string;
}

/**
 * The behaviour every `DedupeStore` must have (docs/dedupe.md), as a test suite to run
 * from your own test file:
 *
 * ```ts
 * dedupeStoreContract({ describe, it, expect }, () => createMyStore(), { sleep: (ms) => setTimeout(ms) });
 * ```
 *
 * `makeStore` is called once per case and may return a store on shared data: every
 * case uses its own fresh keys.
 */
export function dedupeStoreContract(
  t: ContractTestApi,
  makeStore: () => DedupeStore | Promise<DedupeStore>,
  options: DedupeStoreContractOptions,
): void {
  const { describe, it, expect } = t;
  const short = options.shortTtlMs ?? 100;
  const long = short * 50;
  const n = options.concurrency ?? 50;
  const sleep = async (ms: number): Promise<void> => {
    await options.sleep(ms);
  };
  // Past the short TTL with room to spare; the stores compare against whole ms.
  const pastShort = () => sleep(short * 2 + 5);
  const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
  let counter = 0;
  const freshKey = (label: string) => `contract:${run}:${++counter}:${label}`;
  const claims = (states: readonly ClaimState[]) => ({
    new: states.filter((s) => s === 'new').length,
    in_progress: states.filter((s) => s === 'in_progress').length,
    done: states.filter((s) => s === 'done').length,
  });

  describe(options.name ?? 'DedupeStore contract', () => {
    it('a free key is claimed once: new, then in_progress while the claim lives', async () => {
      const store = await makeStore();
      const key = freshKey('claim');
      expect(await store.claim(key, long)).toBe('new');
      expect(await store.claim(key, long)).toBe('in_progress');
      expect(await store.claim(key, long)).toBe('in_progress');
    });

    it('complete makes every later claim answer done', async () => {
      const store = await makeStore();
      const key = freshKey('complete');
      expect(await store.claim(key, long)).toBe('new');
      await store.complete(key, long);
      expect(await store.claim(key, long)).toBe('done');
      expect(await store.claim(key, long)).toBe('done');
    });

    it('release frees the claim: the next claim is new, and holds again', async () => {
      const store = await makeStore();
      const key = freshKey('release');
      expect(await store.claim(key, long)).toBe('new');
      await store.release(key);
      expect(await store.claim(key, long)).toBe('new');
      expect(await store.claim(key, long)).toBe('in_progress');
    });

    it('release never erases done', async () => {
      const store = await makeStore();
      const key = freshKey('release-done');
      expect(await store.claim(key, long)).toBe('new');
      await store.complete(key, long);
      await store.release(key);
      expect(await store.claim(key, long)).toBe('done');
    });

    it('release and complete of a key never claimed work (no-op, done)', async () => {
      const store = await makeStore();
      const free = freshKey('never-claimed');
      await store.release(free);
      expect(await store.claim(free, long)).toBe('new');
      const recorded = freshKey('complete-unclaimed');
      await store.complete(recorded, long);
      expect(await store.claim(recorded, long)).toBe('done');
    });

    it('keys are independent, whatever characters they hold', async () => {
      const store = await makeStore();
      const base = freshKey('k');
      const keys = [
        base,
        `${base}:x`,
        base.toUpperCase(),
        `${base} `,
        `${base}*`,
        `${base}ä✓`,
        `${base}\n`,
        `${base}${'x'.repeat(1000)}`,
      ];
      for (const key of keys) expect(await store.claim(key, long)).toBe('new');
      await store.complete(keys[0] as string, long);
      await store.release(keys[1] as string);
      expect(await store.claim(keys[0] as string, long)).toBe('done');
      expect(await store.claim(keys[1] as string, long)).toBe('new');
      for (const key of keys.slice(2)) expect(await store.claim(key, long)).toBe('in_progress');
    });

    it(`${n} concurrent claims of one free key: exactly one is new`, async () => {
      const store = await makeStore();
      const key = freshKey('race');
      const states = await Promise.all(Array.from({ length: n }, () => store.claim(key, long)));
      expect(claims(states)).toEqual({ new: 1, in_progress: n - 1, done: 0 });
    });

    it(`${n} concurrent claims of distinct keys: all new`, async () => {
      const store = await makeStore();
      const states = await Promise.all(
        Array.from({ length: n }, (_, i) => store.claim(freshKey(`distinct-${i}`), long)),
      );
      expect(claims(states)).toEqual({ new: n, in_progress: 0, done: 0 });
    });

    it('a claim expires after its ttlMs, so a dead holder does not block the retry', async () => {
      const store = await makeStore();
      const key = freshKey('claim-expires');
      expect(await store.claim(key, short)).toBe('new');
      await pastShort();
      expect(await store.claim(key, long)).toBe('new');
      expect(await store.claim(key, long)).toBe('in_progress');
    });

    it('a claim does not expire before its ttlMs', async () => {
      const store = await makeStore();
      const key = freshKey('claim-lives');
      expect(await store.claim(key, long)).toBe('new');
      await pastShort();
      expect(await store.claim(key, long)).toBe('in_progress');
    });

    it('done lasts its own ttlMs, not the claim ttl, then expires', async () => {
      const store = await makeStore();
      const key = freshKey('done-ttl');
      expect(await store.claim(key, short)).toBe('new');
      await store.complete(key, short * 4);
      await pastShort();
      expect(await store.claim(key, long)).toBe('done');
      await sleep(short * 3);
      expect(await store.claim(key, long)).toBe('new');
    });

    it('a holder whose claim expired cannot release the newer claim (same instance)', async () => {
      const store = await makeStore();
      const key = freshKey('stale-release');
      expect(await store.claim(key, short)).toBe('new'); // holder A
      await pastShort();
      expect(await store.claim(key, long)).toBe('new'); // holder B, A still running
      await store.release(key); // A or B fails: the store cannot tell which
      expect(await store.claim(key, long)).toBe('in_progress');
      await store.release(key); // the other one fails too
      expect(await store.claim(key, long)).toBe('new');
    });

    it('a holder whose claim expired still records done; a later release keeps it', async () => {
      const store = await makeStore();
      const key = freshKey('stale-complete');
      expect(await store.claim(key, short)).toBe('new');
      await pastShort();
      expect(await store.claim(key, long)).toBe('new');
      await store.complete(key, long); // the event was processed
      await store.release(key);
      expect(await store.claim(key, long)).toBe('done');
    });

    const makePeer = options.makePeer;
    if (makePeer !== undefined) {
      it('two instances see each other: claimed, done and released across instances', async () => {
        const a = await makeStore();
        const b = await makePeer(a);
        const key = freshKey('peer');
        expect(await a.claim(key, long)).toBe('new');
        expect(await b.claim(key, long)).toBe('in_progress');
        await a.release(key);
        expect(await b.claim(key, long)).toBe('new');
        expect(await a.claim(key, long)).toBe('in_progress');
        await b.complete(key, long);
        expect(await a.claim(key, long)).toBe('done');
      });

      it(`${n} concurrent claims split over two instances: exactly one is new`, async () => {
        const a = await makeStore();
        const b = await makePeer(a);
        const key = freshKey('peer-race');
        const states = await Promise.all(Array.from({ length: n }, (_, i) => (i % 2 === 0 ? a : b).claim(key, long)));
        expect(claims(states)).toEqual({ new: 1, in_progress: n - 1, done: 0 });
      });

      it("a holder whose claim expired cannot release another instance's newer claim", async () => {
        const a = await makeStore();
        const b = await makePeer(a);
        const key = freshKey('peer-stale');
        expect(await a.claim(key, short)).toBe('new');
        await pastShort();
        expect(await b.claim(key, long)).toBe('new');
        await a.release(key); // A's handler failed late
        expect(await a.claim(key, long)).toBe('in_progress');
        expect(await b.claim(key, long)).toBe('in_progress');
        await b.release(key);
        expect(await a.claim(key, long)).toBe('new');
      });

      it('an instance cannot release a claim it never took', async () => {
        const a = await makeStore();
        const b = await makePeer(a);
        const key = freshKey('peer-foreign');
        expect(await a.claim(key, long)).toBe('new');
        await b.release(key);
        expect(await b.claim(key, long)).toBe('in_progress');
      });
    }
  });
}
