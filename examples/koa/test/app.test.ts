// The app under test is the real one, behind an ephemeral 127.0.0.1 server the mock
// sender starts; the sender plays Audenci: its envelopes, headers, signatures and
// (assumed) retry schedule, on a virtual clock.
import { afterEach, describe, expect, it } from 'vitest';
import { createMockSender, type MockSender } from '@hookproof/mock-sender';
import { createApp, type PostOutcome } from '../src/app.mjs';

const secret = 'whsec_test_koa';
let sender: MockSender<'audenci'> | undefined;
afterEach(async () => {
  await sender?.close();
  sender = undefined;
});

const errorOf = (body: string | undefined) => (JSON.parse(body ?? '{}') as { error?: string }).error;

describe('Koa example: Audenci webhooks', () => {
  it('saves where a published post went out and where it failed', async () => {
    const saved: PostOutcome[] = [];
    const app = createApp({ secret, save: (outcome) => void saved.push(outcome), warn: () => {} });
    sender = createMockSender({ vendor: 'audenci', secret, target: app, path: '/webhooks/audenci', seed: 3 });
    const event = sender.event('post.published', {
      data: {
        postId: 'post_9',
        title: 'Launch day',
        platformResults: { instagram: { success: true, postId: 'ig_1' }, facebook: { success: false } },
      },
    });

    const result = await sender.send(event);

    expect(result.status).toBe(200);
    expect(saved).toEqual([{ postId: 'post_9', title: 'Launch day', publishedOn: ['instagram'], failedOn: ['facebook'] }]);
  });

  it('with a token configured, a correctly signed delivery without the header is refused', async () => {
    const saved: PostOutcome[] = [];
    const warnings: string[] = [];
    const app = createApp({ secret, token: 'tok_123', save: (outcome) => void saved.push(outcome), warn: (m) => warnings.push(m) });
    const withoutToken = createMockSender({ vendor: 'audenci', secret, target: app, path: '/webhooks/audenci', seed: 4 });
    sender = createMockSender({
      vendor: 'audenci',
      secret,
      target: app,
      path: '/webhooks/audenci',
      seed: 5,
      headers: { Authorization: 'Bearer tok_123' }, // the custom header set up in Audenci
    });

    const refused = await withoutToken.send(withoutToken.event('post.published'));
    await withoutToken.close();
    const accepted = await sender.send(sender.event('post.published'));

    expect([refused.status, errorOf(refused.response?.body)]).toEqual([401, 'invalid_auth_header']);
    expect(accepted.status).toBe(200);
    expect(saved).toHaveLength(1);
    expect(warnings.map((w) => w.split(' ')[1])).toEqual(['invalid_auth_header']);
  });

  it("a failing handler is retried on Audenci's schedule until it succeeds; other paths are not webhooks", async () => {
    let failures = 2;
    const saved: PostOutcome[] = [];
    const app = createApp({
      secret,
      save: (outcome) => {
        if (failures-- > 0) throw new Error('database unavailable');
        saved.push(outcome);
      },
      warn: () => {},
    });
    sender = createMockSender({ vendor: 'audenci', secret, target: app, path: '/webhooks/audenci', seed: 6 });

    const log = await sender.deliver(sender.event('post.published'));

    expect(log.attempts.map((a) => [a.status, a.delayMs / 1000])).toEqual([
      [500, 0],
      [500, 30],
      [200, 120],
    ]);
    expect(saved).toHaveLength(1);

    const elsewhere = createMockSender({ vendor: 'audenci', secret, target: app, path: '/not-a-webhook', seed: 7 });
    const stray = await elsewhere.send(elsewhere.event('post.published'));
    await elsewhere.close();
    expect(stray.status).toBe(404);
    expect(saved).toHaveLength(1);
  });
});
