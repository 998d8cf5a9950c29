import { describe, expect, it } from 'vitest';
import { createMockSender } from '@hookproof/mock-sender';
import { hmacHex, startServer } from './helpers.js';
import { closeAfterEach, track } from './vendor-api-fetch.js';

// Audenci creates webhooks in its dashboard (help page "Webhook Integrations & API
// Usage", Creating Webhooks), so there is no API to mock: the sender is pointed at the
// receiver with `target`. These are the two Audenci behaviours an app relies on.
closeAfterEach();

const SECRET = 'whsec_audenci_test';

describe('Audenci without an API: assumed retry schedule and custom headers', () => {
  it('a failing receiver gets the assumed schedule: 1 try + 4 retries after 30 s, 2 min, 10 min, 1 h (virtual clock)', async () => {
    const app = track(await startServer(() => ({ status: 503 })));
    const sender = createMockSender({ vendor: 'audenci', secret: SECRET, target: app.url });
    const started = sender.now();
    const wall = performance.now();
    const log = await sender.deliver(sender.event('post.failed'), { retries: 'vendor', clock: 'virtual' });
    expect(performance.now() - wall).toBeLessThan(5000); // over an hour of schedule, no real waiting
    expect(log.state).toBe('failed');
    expect(log.reason).toBe('exhausted');
    // The help page says "exponential backoff" without numbers; these are the assumed ones.
    expect(log.attempts.map((a) => a.delayMs)).toEqual([0, 30_000, 120_000, 600_000, 3_600_000]);
    // Each delay counts from the end of the failed attempt: atMs = sum of delays + earlier attempts' durations.
    let measured = 0;
    log.attempts.forEach((a, i) => {
      expect(a.atMs).toBeCloseTo([0, 30, 150, 750, 4350][i]! * 1000 + measured, 6);
      measured += a.ms;
    });
    expect(sender.now() - started).toBeGreaterThanOrEqual(4_350_000);
    expect(app.requests).toHaveLength(5);
    for (const rec of app.requests) expect(rec.headers['x-audenci-signature']).toBe(hmacHex(SECRET, rec.body));
  });

  it('succeeding on the second attempt stops the schedule there', async () => {
    const app = track(await startServer((req) => ({ status: req.n === 2 ? 200 : 500 })));
    const sender = createMockSender({ vendor: 'audenci', secret: SECRET, target: app.url });
    const log = await sender.deliver(sender.event('campaign.started'));
    expect(log.state).toBe('delivered');
    expect(log.attempts.map((a) => [a.delayMs, a.status])).toEqual([
      [0, 500],
      [30_000, 200],
    ]);
    expect(app.requests).toHaveLength(2);
  });

  it('sends the custom headers configured for the webhook on every attempt, beside a valid signature', async () => {
    const app = track(await startServer((req) => ({ status: req.n === 1 ? 500 : 200 })));
    const sender = createMockSender({
      vendor: 'audenci',
      secret: SECRET,
      target: app.url,
      headers: { Authorization: 'Bearer app-token-123', 'X-Team': 'growth' },
    });
    const log = await sender.deliver(sender.event('post.published'));
    expect(log.state).toBe('delivered');
    expect(app.requests).toHaveLength(2);
    for (const rec of app.requests) {
      expect(rec.headers['authorization']).toBe('Bearer app-token-123');
      expect(rec.headers['x-team']).toBe('growth');
      expect(rec.headers['x-audenci-signature']).toBe(hmacHex(SECRET, rec.body));
    }
  });
});
