import { afterEach, describe, expect, it } from 'vitest';
import { verify, vendors } from '@hookproof/core';
import { createMockSender, type DeliveryLog } from '@hookproof/mock-sender';
import { expectedSignature, startServer, type TestServer } from './helpers.js';

const SECRET = 'whsec_schedule_test_secret';
let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/**
 * Virtual times are the schedule's waits plus the measured durations of the earlier
 * attempts (a delay counts from the end of the failed attempt). The test checks both:
 * the exact sum, and that the measured part is small next to the schedule.
 */
function expectAt(log: DeliveryLog, scheduleSec: readonly number[]) {
  expect(log.attempts.map((a) => a.n)).toEqual(scheduleSec.map((_, i) => i + 1));
  let measured = 0;
  log.attempts.forEach((a, i) => {
    expect(a.atMs).toBeCloseTo(scheduleSec[i]! * 1000 + measured, 6);
    measured += a.ms;
  });
  expect(measured).toBeLessThan(2000 * log.attempts.length);
  expect(measured).toBeGreaterThan(0);
}

describe('Aidelly schedule against a plain node:http server', () => {
  it('always failing: 6 attempts at 0, 5, 30, 155, 780, 3905 s, then failed', async () => {
    server = await startServer(() => ({ status: 500 }));
    const sender = createMockSender({ vendor: 'aidelly', secret: SECRET, target: server.url, seed: 1 });
    const event = sender.event('post.published');
    const started = sender.now();
    const wall = performance.now();
    const log = await sender.deliver(event, { retries: 'vendor', clock: 'virtual' });
    expect(performance.now() - wall).toBeLessThan(5000); // the hour-long schedule did not wait
    expect(log.state).toBe('failed');
    expect(log.reason).toBe('exhausted');
    expectAt(log, [0, 5, 30, 155, 780, 3905]);
    expect(log.attempts.map((a) => a.delayMs)).toEqual([0, 5000, 25000, 125000, 625000, 3125000]);
    expect(log.attempts.every((a) => a.status === 500 && a.outcome === 'http-error')).toBe(true);
    // The sender's clock moved by the whole schedule: hand it to a receiver as `now`.
    const last = log.attempts.at(-1)!;
    expect(sender.now() - started).toBeCloseTo(last.atMs + last.ms, 3);
    expect(server.requests).toHaveLength(6);
    for (const rec of server.requests) {
      const { header, value } = expectedSignature('aidelly', SECRET, rec);
      expect(rec.headers[header]).toBe(value);
      // Every attempt carries the same bytes: the event (and its digest id) is stable.
      expect(rec.body.equals(Buffer.from(event.bytes))).toBe(true);
      // No attempt-number or other undocumented header (Aidelly's guide documents none).
      expect(Object.keys(rec.headers).sort()).toEqual(['aidelly-signature', 'connection', 'content-length', 'content-type', 'host']);
    }
  });

  it('succeeding on attempt 3 stops there', async () => {
    server = await startServer((req) => ({ status: req.n === 3 ? 204 : 503 }));
    const sender = createMockSender({ vendor: 'aidelly', secret: SECRET, target: server.url });
    const log = await sender.deliver(sender.event('post.failed'));
    expect(log.state).toBe('delivered');
    expect(log.reason).toBe('success');
    expect(log.attempts.map((a) => [a.n, a.status, a.outcome])).toEqual([
      [1, 503, 'http-error'],
      [2, 503, 'http-error'],
      [3, 204, 'success'],
    ]);
    expectAt(log, [0, 5, 30]);
    expect(server.requests).toHaveLength(3);
  });

  it('the schedule is read from core, not copied', () => {
    expect(vendors.aidelly.retry.delaysSec).toEqual([5, 25, 125, 625, 3125]);
    expect(vendors.aidelly.timeoutMs).toBe(10_000);
  });
});

describe('Timbrix schedule', () => {
  it('4 attempts at 0, 1, 6, 36 s; each verifies with node:crypto', async () => {
    server = await startServer(() => ({ status: 502 }));
    const sender = createMockSender({ vendor: 'timbrix', secret: SECRET, target: server.url });
    const log = await sender.deliver(sender.event('member.added'), { retries: 'vendor', clock: 'virtual' });
    expect(log.state).toBe('failed');
    expectAt(log, [0, 1, 6, 36]);
    for (const rec of server.requests) {
      const { header, value } = expectedSignature('timbrix', SECRET, rec);
      expect(rec.headers[header]).toBe(value);
    }
  });
});

describe('Autoposting: each attempt is re-signed at its virtual time', () => {
  it('fresh timestamps 5 min, 30 min, 2 h, 5 h, 10 h apart; every one inside the 5-minute window on the shared clock', async () => {
    const verdicts: string[] = [];
    let sender: ReturnType<typeof createMockSender<'autoposting'>> | undefined;
    server = await startServer(async (rec) => {
      const result = await verify({ vendor: 'autoposting', secret: SECRET, body: rec.body, headers: rec.headers, now: sender!.now });
      verdicts.push(result.ok ? 'ok' : result.error.code);
      return { status: 500 };
    });
    sender = createMockSender({ vendor: 'autoposting', secret: SECRET, target: server.url, startAt: Date.UTC(2026, 0, 1) });
    const event = sender.event('post.published');
    const log = await sender.deliver(event);
    expect(verdicts).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'ok']);
    expectAt(log, [0, 300, 2100, 9300, 27300, 63300]);
    const stamps = server.requests.map((r) => Number(r.headers['x-autoposting-timestamp']));
    stamps.forEach((ts, i) => {
      expect(ts).toBe(Math.floor((Date.UTC(2026, 0, 1) + log.attempts[i]!.atMs) / 1000));
      const { value } = expectedSignature('autoposting', SECRET, server!.requests[i]!);
      expect(server!.requests[i]!.headers['x-autoposting-signature']).toBe(value);
    });
    // Same event id and delivery id on every attempt; only the timestamp and signature change.
    const ids = server.requests.map((r) => [JSON.parse(r.body.toString()).id, r.headers['x-autoposting-delivery']]);
    expect(new Set(ids.map((x) => x.join()))).toEqual(new Set([[(event.payload as { id: string }).id, event.deliveryId].join()]));
    expect(new Set(server.requests.map((r) => r.headers['x-autoposting-signature'])).size).toBe(6);
  });

  it('a receiver on the real clock rejects the later virtual attempts (why `now: sender.now` matters)', async () => {
    const verdicts: string[] = [];
    server = await startServer(async (rec) => {
      const result = await verify({ vendor: 'autoposting', secret: SECRET, body: rec.body, headers: rec.headers });
      verdicts.push(result.ok ? 'ok' : result.error.code);
      return { status: result.ok ? 500 : 401 };
    });
    const sender = createMockSender({ vendor: 'autoposting', secret: SECRET, target: server.url });
    await sender.deliver(sender.event('post.failed'), { retries: [0, 600] });
    expect(verdicts).toEqual(['ok', 'ok', 'timestamp_out_of_tolerance']);
  });
});

describe('schedule options', () => {
  it("retries: 'none' is one attempt; a custom list is used as given (seconds)", async () => {
    server = await startServer(() => ({ status: 500 }));
    const sender = createMockSender({ vendor: 'aidelly', secret: SECRET, target: server.url });
    expect((await sender.deliver(sender.event('post.created'), { retries: 'none' })).attempts).toHaveLength(1);
    const log = await sender.deliver(sender.event('post.created'), { retries: [2, 3] });
    expectAt(log, [0, 2, 5]);
  });

  it("clock: 'real' really waits, from the end of the failed attempt", async () => {
    server = await startServer((req) => ({ status: req.n < 3 ? 500 : 200, delayMs: 20 }));
    const sender = createMockSender({ vendor: 'timbrix', secret: SECRET, target: server.url });
    const wall = performance.now();
    const log = await sender.deliver(sender.event('invite.created'), { retries: [0.05, 0.1], clock: 'real' });
    const took = performance.now() - wall;
    expect(log.state).toBe('delivered');
    // 50 + 100 ms of waits plus three answers of >= 20 ms each.
    expect(took).toBeGreaterThanOrEqual(150 + 60 - 5);
    expect(log.attempts[1]!.atMs).toBeGreaterThanOrEqual(50 + log.attempts[0]!.ms - 1);
    expect(log.attempts[2]!.atMs - log.attempts[1]!.atMs).toBeGreaterThanOrEqual(100 + log.attempts[1]!.ms - 1);
  });

  it('410 is retried like any failure (no vendor documents it as terminal); stopOn ends at once', async () => {
    server = await startServer(() => ({ status: 410 }));
    const sender = createMockSender({ vendor: 'timbrix', secret: SECRET, target: server.url });
    expect(vendors.timbrix.retry.stopOn).toEqual([]);
    expect((await sender.deliver(sender.event('member.removed'))).attempts).toHaveLength(4);
    const stopped = await sender.deliver(sender.event('member.removed'), { stopOn: [410] });
    expect(stopped).toMatchObject({ state: 'failed', reason: 'stopped' });
    expect(stopped.attempts).toHaveLength(1);
  });

  it('an unreachable receiver is a network error and is retried', async () => {
    const dead = await startServer(() => ({ status: 200 }));
    const url = dead.url;
    await dead.close();
    const sender = createMockSender({ vendor: 'timbrix', secret: SECRET, target: url });
    const log = await sender.deliver(sender.event('member.added'));
    expect(log.attempts.map((a) => a.outcome)).toEqual(['network-error', 'network-error', 'network-error', 'network-error']);
    expect(log.attempts[0]!.error).toMatch(/ECONNREFUSED/);
  });

  it('bad options are setup errors', async () => {
    const sender = createMockSender({ vendor: 'timbrix', secret: SECRET, target: 'http://127.0.0.1:9/x' });
    const e = sender.event('member.added');
    await expect(sender.deliver(e, { retries: [-1] })).rejects.toThrow(TypeError);
    await expect(sender.deliver(e, { timeoutMs: 0 })).rejects.toThrow(/timeoutMs/);
    // @ts-expect-error not a clock mode
    await expect(sender.deliver(e, { clock: 'fast' })).rejects.toThrow(/clock/);
    // @ts-expect-error duplicate is a send() fault
    await expect(sender.deliver(e, { fault: { duplicate: 2 } })).rejects.toThrow(/send\(\)/);
  });
});
