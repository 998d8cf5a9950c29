import { afterEach, describe, expect, it } from 'vitest';
import { defineVendor, vendors, type AidellyEvents } from '@hookproof/core';
import { createMockSender } from '@hookproof/mock-sender';
import { startServer, type TestServer } from './helpers.js';

const SECRET = 'whsec_timeout_test';
let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('timeout rule: success = a 2xx within timeoutMs (real time, shrunk)', () => {
  it('a receiver slower than the deadline is a failed attempt; the sender hangs up', async () => {
    server = await startServer(() => ({ status: 200, delayMs: 300 }));
    const sender = createMockSender({ vendor: 'aidelly', secret: SECRET, target: server.url });
    const result = await sender.send(sender.event('post.published'), { timeoutMs: 80 });
    expect(result).toMatchObject({ ok: false, outcome: 'timeout', status: undefined, response: undefined });
    expect(result.ms).toBeGreaterThanOrEqual(75);
    expect(result.ms).toBeLessThan(290);
    // The server's late 200 found the connection closed.
    for (let i = 0; i < 40 && server.abandoned.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(server.abandoned).toEqual([1]);
  });

  it('the same receiver within the deadline succeeds', async () => {
    server = await startServer(() => ({ status: 200, delayMs: 30 }));
    const sender = createMockSender({ vendor: 'aidelly', secret: SECRET, target: server.url });
    const result = await sender.send(sender.event('post.published'), { timeoutMs: 1000 });
    expect(result).toMatchObject({ ok: true, outcome: 'success', status: 200 });
  });

  it('a timeout uses up an attempt and is retried; the delay counts from the hang-up', async () => {
    server = await startServer((req) => (req.n === 1 ? { status: 200, delayMs: 400 } : { status: 200 }));
    const sender = createMockSender({ vendor: 'timbrix', secret: SECRET, target: server.url });
    const log = await sender.deliver(sender.event('member.added'), { timeoutMs: 100, clock: 'virtual' });
    expect(log.state).toBe('delivered');
    expect(log.attempts.map((a) => a.outcome)).toEqual(['timeout', 'success']);
    expect(log.attempts[1]!.atMs).toBeCloseTo(1000 + log.attempts[0]!.ms, 6);
    expect(log.attempts[0]!.ms).toBeGreaterThanOrEqual(95);
  });

  it("the default deadline is the profile's timeoutMs (a profile with a shrunk deadline shows it)", async () => {
    expect(vendors.aidelly.timeoutMs).toBe(10_000);
    const quick = defineVendor<AidellyEvents, 'aidelly'>({ ...vendors.aidelly, timeoutMs: 60 });
    server = await startServer(() => ({ status: 200, delayMs: 250 }));
    const sender = createMockSender({ vendor: quick, secret: SECRET, target: server.url });
    const log = await sender.deliver(sender.event('post.published'), { retries: 'none' });
    expect(log.attempts[0]!.outcome).toBe('timeout');
    expect(log.attempts[0]!.ms).toBeLessThan(240);
  });

  it('in-process targets time out too (Fetch handler: the request signal aborts)', async () => {
    let aborted = false;
    const sender = createMockSender({
      vendor: 'aidelly',
      secret: SECRET,
      target: (request: Request) =>
        new Promise<Response>((resolve) => {
          const t = setTimeout(() => resolve(new Response('late')), 300);
          request.signal.addEventListener('abort', () => {
            aborted = true;
            clearTimeout(t);
            resolve(new Response('aborted', { status: 499 }));
          });
        }),
    });
    const result = await sender.send(sender.event('post.created'), { timeoutMs: 50 });
    expect(result.outcome).toBe('timeout');
    expect(aborted).toBe(true);
  });
});
