import { describe, expect, it } from 'vitest';
import { createMemoryStore, createReceiver, vendorIds, vendors, type DedupeStore, type VendorId } from '@hookproof/core';
import { createMockSender, type DeliveryLog } from '@hookproof/mock-sender';

// Issue 15 item 4: two receiver instances share one dedupe store; the instance that
// takes the first attempt's claim dies in the middle of its handler. The vendor's own
// retry schedule (from core's profiles, on the mock sender's virtual clock) must still
// get the event processed by the other instance before the vendor gives up.
// The store runs on the sender's clock, so claims expire in virtual time.

const SECRET = 'whsec_dead-holder-test';

interface Run {
  readonly log: DeliveryLog;
  readonly claimTtls: number[];
  readonly ranOnB: number[];
  readonly started: number;
}

async function deliverWithDeadHolder(vendor: VendorId, death: 'crashes' | 'hangs'): Promise<Run> {
  let sender: ReturnType<typeof createMockSender<VendorId>> | undefined;
  const now = () => sender!.now();
  const memory = createMemoryStore({ now });
  const claimTtls: number[] = [];
  const store: DedupeStore = {
    claim(key, ttlMs) {
      claimTtls.push(ttlMs);
      return memory.claim(key, ttlMs);
    },
    complete: (key, ttlMs) => memory.complete(key, ttlMs),
    release: (key) => memory.release(key),
  };
  // Instance A: its handler never settles (the process is gone from the vendor's point of view).
  let claimedByA: () => void = () => undefined;
  const aHolds = new Promise<void>((resolve) => (claimedByA = resolve));
  const a = createReceiver({ vendor, secret: SECRET, now, dedupe: store }).onAny(() => {
    claimedByA();
    return new Promise<never>(() => undefined);
  });
  const ranOnB: number[] = [];
  const b = createReceiver({ vendor, secret: SECRET, now, dedupe: store }).onAny(() => void ranOnB.push(now()));
  const answer = async (receiver: typeof a, request: Request) => {
    const result = await receiver.receive({ body: new Uint8Array(await request.arrayBuffer()), headers: request.headers });
    return Response.json(result.body, { status: result.status });
  };
  let attempt = 0;
  sender = createMockSender<VendorId>({
    vendor,
    secret: SECRET,
    // The load balancer: the first attempt reaches A, every retry reaches B.
    target: async (request: Request) => {
      if (++attempt > 1) return answer(b, request);
      void answer(a, request);
      await aHolds;
      if (death === 'crashes') throw new Error('socket hang up (instance A crashed mid-handler)');
      return new Promise<Response>(() => undefined); // A stops answering: the vendor's deadline ends the attempt
    },
  });
  const started = sender.now();
  // Standard Webhooks names no events of its own (any name is accepted): send an example one.
      const event = sender.event((vendors[vendor].events[0] ?? 'invoice.paid') as never);
  // 'hangs': the vendor's deadline shrunk to 50 ms of real time so the test does not wait
  // 10 s; the real deadline only makes every retry arrive later, which the claim allows.
  const log = await sender.deliver(event, { retries: 'vendor', clock: 'virtual', ...(death === 'hangs' ? { timeoutMs: 50 } : {}) });
  return { log, claimTtls, ranOnB, started };
}

describe('a dead holder\'s claim expires before the vendor gives up (every built-in vendor, default claimTtlMs)', () => {
  for (const vendor of vendorIds) {
    for (const death of ['crashes', 'hangs'] as const) {
      it(`${vendor}: instance A ${death} mid-handler; a retry on instance B is processed within the vendor's schedule`, async () => {
        const { log, claimTtls, ranOnB, started } = await deliverWithDeadHolder(vendor, death);
        const profile = vendors[vendor];
        const last = log.attempts.at(-1)!;
        const ttl = claimTtls[0]!;
        console.log(
          `${vendor} (${death}): claim TTL ${ttl} ms; attempts ${log.attempts.map((x) => `${(x.atMs / 1000).toFixed(1)} s ${x.status ?? x.outcome}`).join(', ')}`,
        );
        expect(log.state).toBe('delivered');
        expect(last.status).toBe(200);
        expect(JSON.parse(last.response!.body)).toMatchObject({ ok: true });
        expect(log.attempts.length).toBeLessThanOrEqual(profile.retry.delaysSec.length + 1);
        // Every retry before it met A's live claim (409), never a duplicate run.
        expect(log.attempts.slice(1, -1).map((x) => x.status)).toEqual(log.attempts.slice(1, -1).map(() => 409));
        expect(ranOnB).toHaveLength(1);
        expect(ranOnB[0]! - started).toBeGreaterThanOrEqual(ttl);
        // The claim outlasts what the vendor waits for one answer, so a live handler is not run twice.
        expect(ttl).toBeGreaterThanOrEqual(profile.timeoutMs);
        expect(new Set(claimTtls).size).toBe(1);
      });
    }
  }

  it('with the old fixed 60 s claim, Timbrix\'s last retry (36 s after the first attempt) would still get 409: the event is lost', async () => {
    const profile = vendors.timbrix;
    const lastRetryAfterMs = profile.retry.delaysSec.reduce((sum, d) => sum + d, 0) * 1000;
    expect(lastRetryAfterMs).toBeLessThan(60_000);
    expect(() => createReceiver({ vendor: 'timbrix', secret: SECRET, claimTtlMs: 60_000 })).toThrow(TypeError);
  });
});
