// The app under test is the real one, reached through Fastify's inject (no socket); the
// mock sender plays Timbrix: its headers, signatures and retry schedule, on a virtual clock.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { createMockSender } from '@hookproof/mock-sender';
import { createApp, type MembershipChange } from '../src/app.mjs';

const secret = 'whsec_test_fastify';
let app: ReturnType<typeof createApp> | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

function setup(save: (change: MembershipChange) => void | Promise<void>) {
  const warnings: string[] = [];
  app = createApp({ secret, save, warn: (message) => warnings.push(message) });
  const sender = createMockSender({ vendor: 'timbrix', secret, target: app, path: '/webhooks/timbrix', seed: 2 });
  return { sender, warnings };
}

const errorOf = (body: string | undefined) => (JSON.parse(body ?? '{}') as { error?: string }).error;

describe('Fastify example: Timbrix webhooks', () => {
  it('saves a membership change, and four concurrent copies of it only once', async () => {
    const saved: MembershipChange[] = [];
    const { sender } = setup(async (change) => {
      await sleep(30); // a database write, long enough for the copies to overlap
      saved.push(change);
    });
    const event = sender.event('member.added');

    const result = await sender.send(event, { fault: { concurrent: 4 } });

    const answers = result.copies.map((c) => `${c.status} ${errorOf(c.response?.body) ?? 'ok'}`).sort();
    expect(answers).toEqual(['200 ok', '409 in_progress', '409 in_progress', '409 in_progress']);
    expect(saved).toEqual([{ eventId: event.payload.id, change: 'added' }]);
    // The copies answered 409 are retried by Timbrix; by then the event is done.
    const retry = await sender.send(event);
    expect([retry.status, errorOf(retry.response?.body)]).toEqual([200, 'duplicate']);
    expect(saved).toHaveLength(1);
  });

  it('refuses a tampered body and a wrong secret with 401, and never runs the handler', async () => {
    const saved: MembershipChange[] = [];
    const { sender, warnings } = setup((change) => {
      saved.push(change);
    });

    const tampered = await sender.send(sender.event('member.removed'), { fault: 'tamper-body' });
    const wrongSecret = await sender.send(sender.event('member.removed'), { fault: 'wrong-secret' });

    expect([tampered.status, errorOf(tampered.response?.body)]).toEqual([401, 'signature_mismatch']);
    expect([wrongSecret.status, errorOf(wrongSecret.response?.body)]).toEqual([401, 'signature_mismatch']);
    expect(saved).toEqual([]);
    expect(warnings).toHaveLength(2);
  });

  it("a failing handler is retried on Timbrix's schedule (1 s, 5 s, 30 s) until it succeeds", async () => {
    let failures = 2;
    const saved: MembershipChange[] = [];
    const { sender } = setup((change) => {
      if (failures-- > 0) throw new Error('database unavailable');
      saved.push(change);
    });

    const log = await sender.deliver(sender.event('member.role_updated'));

    expect(log.attempts.map((a) => [a.status, a.delayMs / 1000])).toEqual([
      [500, 0],
      [500, 1],
      [200, 5],
    ]);
    expect(saved.map((c) => c.change)).toEqual(['role_updated']);
  });
});
