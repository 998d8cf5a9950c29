import { describe, expect, it } from 'vitest';
import { createMemoryStore, createReceiver, defineVendor, vendorIds, vendors, type DedupeStore, type VendorProfile } from '@hookproof/core';

// Issue 15 item 4, at setup: the claim TTL comes from the vendor's retry policy, and a
// value that the vendor's last retry would not outlive is refused with the fix.
// The end-to-end check (two instances, a dead holder, the mock sender's virtual clock)
// is packages/mock-sender/test/dead-holder.test.ts.

const SECRET = 'whsec_claim-ttl-test';

/** The ttlMs each claim was given. */
function recording(extra: Partial<DedupeStore> = {}): { store: DedupeStore; ttls: number[] } {
  const memory = createMemoryStore();
  const ttls: number[] = [];
  const store: DedupeStore = {
    claim(key, ttlMs) {
      ttls.push(ttlMs);
      return memory.claim(key, ttlMs);
    },
    complete: (key, ttlMs) => memory.complete(key, ttlMs),
    release: (key) => memory.release(key),
    ...extra,
  };
  return { store, ttls };
}

/** Seconds from the first attempt's start to the vendor's last retry, every attempt failing at once. */
const lastRetryMs = (profile: VendorProfile) => profile.retry.delaysSec.reduce((sum, d) => sum + d, 0) * 1000;

describe('claimTtlMs: derived from the vendor, refused when the vendor cannot live with it', () => {
  for (const id of vendorIds) {
    it(`${id}: the default claim outlasts the vendor's deadline and ends before its last retry`, () => {
      const profile = vendors[id];
      expect(() => createReceiver({ vendor: id, secret: SECRET, claimTtlMs: lastRetryMs(profile) })).toThrow(TypeError);
      expect(() => createReceiver({ vendor: id, secret: SECRET, claimTtlMs: lastRetryMs(profile) - 1 })).not.toThrow();
    });
  }

  it('the defaults passed to claim(): Timbrix 18 s (retries 1, 5, 30 s), the others 60 s', async () => {
    const seen: Record<string, number> = {};
    for (const id of vendorIds) {
      const { store, ttls } = recording();
      const receiver = createReceiver({ vendor: id, secret: SECRET, dedupe: store });
      // A delivery without a signature never reaches the store; claim through a signed one.
      const { sign } = await import('@hookproof/core');
      const body = JSON.stringify({ id: `evt_${id}`, event: vendors[id].events[0], timestamp: new Date().toISOString(), data: {} });
      const headers = await sign({ vendor: id, body, secret: SECRET, timestamp: Math.floor(Date.now() / 1000) });
      await receiver.receive({ body, headers });
      seen[id] = ttls[0]!;
      expect(seen[id]).toBeGreaterThanOrEqual(vendors[id].timeoutMs);
      expect(seen[id]).toBeLessThan(lastRetryMs(vendors[id]));
    }
    expect(seen).toEqual({ autoposting: 60_000, aidelly: 60_000, audenci: 60_000, timbrix: 18_000, 'standard-webhooks': 60_000 });
  });

  it("refuses a claimTtlMs that outlives Timbrix's schedule, naming the fix", () => {
    expect(() => createReceiver({ vendor: 'timbrix', secret: SECRET, claimTtlMs: 60_000 })).toThrow(
      /^@hookproof: `claimTtlMs` \(60000 ms\) outlives Timbrix's retries \(1 s, 5 s, 30 s after each failed attempt: the last can arrive 36 s after the first\)\. .*every retry gets 409 and the event is lost\. Leave claimTtlMs unset \(the default for Timbrix is 18000 ms\) or set it below 36000\.$/,
    );
  });

  it("checks a store's own claimTtlMs (createRedisStore({ claimTtlMs })) the same way, and uses it", async () => {
    const fixed = recording({ claimTtlMs: 45_000 });
    expect(() => createReceiver({ vendor: 'timbrix', secret: SECRET, dedupe: fixed.store })).toThrow(/the dedupe store's `claimTtlMs` \(45000 ms\) outlives Timbrix's retries/);
    const ok = recording({ claimTtlMs: 20_000 });
    const receiver = createReceiver({ vendor: 'timbrix', secret: SECRET, dedupe: ok.store, claimTtlMs: 12_000 });
    const { sign } = await import('@hookproof/core');
    const body = JSON.stringify({ id: 'evt_fixed', event: 'member.added', data: {} });
    await receiver.receive({ body, headers: await sign({ vendor: 'timbrix', body, secret: SECRET }) });
    expect(ok.ttls).toEqual([20_000]);
  });

  it('refuses a claim shorter than handlerTimeoutMs, and lengthens the default to cover it', () => {
    expect(() => createReceiver({ vendor: 'aidelly', secret: SECRET, handlerTimeoutMs: 8000, claimTtlMs: 5000 })).toThrow(
      /`claimTtlMs` \(5000 ms\) is shorter than `handlerTimeoutMs` \(8000 ms\).*Set claimTtlMs to at least handlerTimeoutMs/,
    );
    expect(() => createReceiver({ vendor: 'aidelly', secret: SECRET, handlerTimeoutMs: 8000, claimTtlMs: 8000 })).not.toThrow();
  });

  it('refuses a claimTtlMs that is not a positive number', () => {
    for (const bad of [0, -1, Number.NaN, Number.POSITIVE_INFINITY, '5000']) {
      expect(() => createReceiver({ vendor: 'aidelly', secret: SECRET, claimTtlMs: bad as number })).toThrow(/`claimTtlMs` must be a positive number of ms/);
    }
  });

  it('a custom vendor: derived from its own schedule; with no retries, 60 s; with a schedule shorter than its deadline, half of it', async () => {
    const { sign } = await import('@hookproof/core');
    const ttlFor = async (profile: VendorProfile) => {
      const { store, ttls } = recording();
      const receiver = createReceiver({ vendor: profile, secret: SECRET, dedupe: store });
      const body = JSON.stringify({ id: 'evt_custom', event: 'member.added', data: {} });
      await receiver.receive({ body, headers: await sign({ vendor: profile, body, secret: SECRET }) });
      return ttls[0];
    };
    const base = vendors.timbrix;
    expect(await ttlFor(defineVendor({ ...base, id: 'never-retries', retry: { ...base.retry, delaysSec: [] } }))).toBe(60_000);
    expect(await ttlFor(defineVendor({ ...base, id: 'quick-retries', retry: { ...base.retry, delaysSec: [2, 2] } }))).toBe(2000);
    expect(await ttlFor(defineVendor({ ...base, id: 'slow-retries', retry: { ...base.retry, delaysSec: [600] } }))).toBe(60_000);
  });
});
