// The app under test is the real one; the mock sender plays Aidelly: its envelopes,
// headers, signatures and retry schedule, on a virtual clock.
import { afterEach, describe, expect, it } from 'vitest';
import { createMockSender, type MockSender } from '@hookproof/mock-sender';
import { createApp, type PostUpdate } from '../src/app.mjs';

const secret = 'whsec_test_express';
let sender: MockSender<'aidelly'> | undefined;
afterEach(async () => {
  await sender?.close(); // closes the ephemeral 127.0.0.1 server it started for the app
  sender = undefined;
});

function setup(save: (update: PostUpdate) => void | Promise<void> = () => {}) {
  const warnings: string[] = [];
  const app = createApp({ secret, save, warn: (message) => warnings.push(message) });
  sender = createMockSender({ vendor: 'aidelly', secret, target: app, path: '/webhooks/aidelly', seed: 1 });
  return { sender, warnings };
}

const errorOf = (body: string | undefined) => (JSON.parse(body ?? '{}') as { error?: string }).error;

describe('Express example: Aidelly webhooks', () => {
  it('saves a published post once, however often Aidelly sends it', async () => {
    const saved: PostUpdate[] = [];
    const { sender } = setup((update) => {
      saved.push(update);
    });
    const event = sender.event('post.published', { data: { post_id: 'post_42', platform_post_id: 'urn:li:share:42' } });

    const result = await sender.send(event, { fault: { duplicate: 2 } });

    expect(result.copies.map((c) => [c.status, errorOf(c.response?.body)])).toEqual([
      [200, undefined],
      [200, 'duplicate'],
    ]);
    expect(saved).toEqual([{ postId: 'post_42', status: 'published', platformPostId: 'urn:li:share:42' }]);
  });

  it('refuses forged and unsigned deliveries before any handler runs, and logs why', async () => {
    const saved: PostUpdate[] = [];
    const { sender, warnings } = setup((update) => {
      saved.push(update);
    });

    const answers = [];
    for (const fault of ['tamper-body', 'wrong-secret', 'no-signature'] as const) {
      const result = await sender.send(sender.event('post.failed'), { fault });
      answers.push([fault, result.status, errorOf(result.response?.body)]);
    }

    expect(answers).toEqual([
      ['tamper-body', 401, 'signature_mismatch'],
      ['wrong-secret', 401, 'signature_mismatch'],
      ['no-signature', 401, 'missing_signature'],
    ]);
    expect(saved).toEqual([]);
    expect(warnings.map((w) => w.split(' ')[1])).toEqual(['signature_mismatch', 'signature_mismatch', 'missing_signature']);
  });

  it("a database outage is retried on Aidelly's schedule until it is saved", async () => {
    let outages = 2;
    const saved: PostUpdate[] = [];
    const { sender } = setup((update) => {
      if (outages-- > 0) throw new Error('database unavailable');
      saved.push(update);
    });

    // The vendor's schedule (5 s, 25 s, ...) on the sender's virtual clock: no real waiting.
    const log = await sender.deliver(sender.event('post.canceled', { data: { post_id: 'post_7' } }));

    expect(log.state).toBe('delivered');
    expect(log.attempts.map((a) => [a.status, a.delayMs / 1000])).toEqual([
      [500, 0],
      [500, 5],
      [200, 25],
    ]);
    expect(saved).toEqual([{ postId: 'post_7', status: 'canceled' }]);
  });
});
