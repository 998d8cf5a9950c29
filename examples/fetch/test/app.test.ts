// The app under test is the real one: called in-process as a Fetch handler, and once
// through the Node bridge over a 127.0.0.1 socket. The mock sender plays Autoposting.ai:
// signed timestamps, envelopes and its retry schedule (5 min, 30 min, ...), on a virtual clock.
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createMockSender, type MockSender } from '@hookproof/mock-sender';
import { createApp, type PostStatus } from '../src/app.mjs';
import { serve } from '../src/node-server.mjs';

const secret = 'whsec_test_fetch';
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** The app with the sender's clock, so timestamps signed in virtual time are inside the replay window. */
function setup(save: (status: PostStatus) => void | Promise<void>) {
  const warnings: string[] = [];
  let sender: MockSender<'autoposting'> | undefined;
  const app = createApp({ secret, save, warn: (message) => warnings.push(message), now: () => sender!.now() });
  sender = createMockSender({ vendor: 'autoposting', secret, target: app, path: '/webhooks/autoposting', seed: 8 });
  return { app, sender, warnings };
}

const errorOf = (body: string | undefined) => (JSON.parse(body ?? '{}') as { error?: string }).error;

describe('Fetch example: a Hono app receiving Autoposting.ai webhooks', () => {
  it('saves a published post once, and refuses a replay outside the 5-minute window', async () => {
    const saved: PostStatus[] = [];
    const { sender, warnings } = setup((status) => {
      saved.push(status);
    });
    const event = sender.event('post.published');

    const first = await sender.send(event, { fault: { duplicate: 2 } });
    const stale = await sender.send(sender.event('post.failed'), { fault: 'stale-timestamp' });
    const late = await sender.send(sender.event('post.failed'), { fault: { delayMs: 301_000 } }); // signed, sent 5 min 1 s later

    expect(first.copies.map((c) => [c.status, errorOf(c.response?.body)])).toEqual([
      [200, undefined],
      [200, 'duplicate'],
    ]);
    expect(saved).toEqual([{ eventId: event.payload.id, orgId: event.payload.orgId, outcome: 'published' }]);
    expect([stale.status, errorOf(stale.response?.body)]).toEqual([401, 'timestamp_out_of_tolerance']);
    expect([late.status, errorOf(late.response?.body)]).toEqual([401, 'timestamp_out_of_tolerance']);
    expect(warnings.filter((w) => w.includes('timestamp_out_of_tolerance'))).toHaveLength(2);
  });

  it("a failing handler is retried on Autoposting's schedule; each retry is signed afresh and verified", async () => {
    let failures = 2;
    const saved: PostStatus[] = [];
    const { sender } = setup((status) => {
      if (failures-- > 0) throw new Error('database unavailable');
      saved.push(status);
    });

    // 35 virtual minutes: each attempt carries a new timestamp, inside the window of the shared clock.
    const log = await sender.deliver(sender.event('post.failed'));

    expect(log.attempts.map((a) => [a.status, a.delayMs / 60_000])).toEqual([
      [500, 0],
      [500, 5],
      [200, 30],
    ]);
    expect(saved.map((s) => s.outcome)).toEqual(['failed']);
  });

  it('runs on Node through the bridge: verified over a real socket, an oversized body stopped with 413', async () => {
    const saved: PostStatus[] = [];
    const { app } = setup((status) => {
      saved.push(status);
    });
    const server = serve(app.fetch);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/autoposting`;
    const sender = createMockSender({ vendor: 'autoposting', secret, target: url, seed: 9 });
    // The app's receiver reads the first sender's clock; this one starts at the same real time.

    const ok = await sender.send(sender.event('post.published'));
    const huge = await sender.send(sender.raw(JSON.stringify({ event: 'post.published', pad: 'x'.repeat(2 * 1024 * 1024) })));
    const health = await fetch(url.replace('/webhooks/autoposting', '/healthz'));

    expect(ok.status).toBe(200);
    expect(saved).toHaveLength(1);
    expect([huge.status, errorOf(huge.response?.body)]).toEqual([413, 'payload_too_large']);
    expect(await health.json()).toEqual({ ok: true });
  });
});
