// Issue 15 item 4 through every adapter: two app instances (same adapter, one shared
// dedupe store on the sender's virtual clock) behind a load balancer; the instance that
// takes the first attempt dies mid-handler (its handler never settles and its connection
// is cut). With Timbrix's schedule (retries 1, 5, 30 s), the default claim TTL must let
// a retry reach the other instance and be processed before the vendor gives up. Before
// the fix (a fixed 60 s claim) every retry got 409 and the delivery failed.
import { request as httpRequest } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryStore, createReceiver, type Receiver, type VendorRef } from '@hookproof/core';
import { createMockSender } from '@hookproof/mock-sender';
import { HOOK_PATH, type Mounted } from '../conformance/driver.js';
import { targets } from './targets.js';

const SECRET = 'whsec_dedupe-review';

const mounted: Mounted[] = [];
afterEach(async () => {
  for (const m of mounted.splice(0)) await m.close();
});

describe('a dead holder does not lose the event (Timbrix, default claimTtlMs), through every adapter', () => {
  for (const target of targets) {
    it(`${target.name}: instance A dies mid-handler; a retry on instance B is processed within Timbrix's schedule`, async () => {
      let sender: ReturnType<typeof createMockSender<'timbrix'>> | undefined;
      const now = () => sender!.now();
      const store = createMemoryStore({ now });
      let aStarted: () => void = () => undefined;
      const aHolds = new Promise<void>((resolve) => (aStarted = resolve));
      const a = createReceiver({ vendor: 'timbrix', secret: SECRET, now, dedupe: store }).onAny(() => {
        aStarted();
        return new Promise<never>(() => undefined);
      });
      const ranOnB: string[] = [];
      const b = createReceiver({ vendor: 'timbrix', secret: SECRET, now, dedupe: store }).onAny((event) => void ranOnB.push(event.id));
      const [appA, appB] = await Promise.all([a, b].map((receiver) => target.mount({ webhook: { receiver: receiver as unknown as Receiver<VendorRef> } })));
      mounted.push(appA!, appB!);
      const [urlA, urlB] = await Promise.all([appA!.listen(), appB!.listen()]);
      // One connection per request (no keep-alive), so closing an app never waits on an idle socket.
      const forward = async (base: string, request: Request, signal?: AbortSignal) => {
        const body = Buffer.from(await request.arrayBuffer());
        const headers = Object.fromEntries(request.headers);
        return new Promise<Response>((resolve, reject) => {
          const req = httpRequest(`${base}${HOOK_PATH}`, { method: 'POST', headers: { ...headers, connection: 'close' }, agent: false, ...(signal ? { signal } : {}) }, (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => resolve(new Response(Buffer.concat(chunks), { status: res.statusCode ?? 0 })));
          });
          req.on('error', reject);
          req.end(body);
        });
      };
      let attempt = 0;
      sender = createMockSender({
        vendor: 'timbrix',
        secret: SECRET,
        target: async (request: Request) => {
          if (++attempt > 1) return forward(urlB!, request);
          const cut = new AbortController();
          void forward(urlA!, request, cut.signal).catch(() => undefined);
          await aHolds;
          cut.abort(); // instance A is gone: its connection drops
          throw new Error('socket hang up (instance A died mid-handler)');
        },
      });
      const event = sender.event('member.added', { id: `evt_${target.name.replace(/\W/g, '_')}` });
      const log = await sender.deliver(event, { retries: 'vendor', clock: 'virtual' });
      expect(log.attempts.map((x) => x.status ?? x.outcome)).toEqual(['network-error', 409, 409, 200]);
      expect(log.state).toBe('delivered');
      expect(log.attempts.at(-1)!.atMs).toBeGreaterThanOrEqual(36_000);
      expect(log.attempts.at(-1)!.atMs).toBeLessThan(37_000);
      expect(ranOnB).toEqual([event.payload.id]);
    });
  }
});
