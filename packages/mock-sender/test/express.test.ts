import { afterEach, describe, expect, it } from 'vitest';
import express from 'express';
import { createReceiver } from '@hookproof/core';
import { webhook } from '@hookproof/express';
import { createMockSender, type Fault, type MockSender } from '@hookproof/mock-sender';

const SECRET = 'whsec_express_e2e';
let sender: MockSender<'autoposting'> | undefined;
afterEach(async () => {
  await sender?.close();
  sender = undefined;
});

describe('end to end through @hookproof/express (an Express app as the target)', () => {
  it('every fault gets the expected status and code from the adapter', async () => {
    const processed: string[] = [];
    const receiver = createReceiver({ vendor: 'autoposting', secret: SECRET, now: () => sender!.now() }).onAny((event) => {
      processed.push(event.id);
    });
    const app = express();
    app.post('/webhooks', webhook(receiver));
    sender = createMockSender({ vendor: 'autoposting', secret: SECRET, target: app, path: '/webhooks' });

    const cases: [Fault | undefined, number, string | undefined][] = [
      [undefined, 200, undefined],
      ['tamper-body', 401, 'signature_mismatch'],
      ['wrong-secret', 401, 'signature_mismatch'],
      ['no-signature', 401, 'missing_signature'],
      ['stale-timestamp', 401, 'timestamp_out_of_tolerance'],
      ['bad-encoding', 400, 'invalid_json'],
      [{ delayMs: 301_000 }, 401, 'timestamp_out_of_tolerance'],
    ];
    for (const [fault, status, code] of cases) {
      const result = await sender.send(sender.event('post.published'), fault === undefined ? {} : { fault });
      const body = JSON.parse(result.response!.body) as { error?: string };
      expect([fault, result.status, body.error]).toEqual([fault, status, code]);
    }
    const dup = await sender.send(sender.event('post.failed'), { fault: { duplicate: 2 } });
    expect(dup.copies.map((c) => [c.status, (JSON.parse(c.response!.body) as { error?: string }).error])).toEqual([
      [200, undefined],
      [200, 'duplicate'],
    ]);
    // Only the two clean deliveries reached the handler.
    expect(processed).toHaveLength(2);
  });

  it('a retry schedule through the adapter: the handler fails twice, the third attempt is processed', async () => {
    let calls = 0;
    const receiver = createReceiver({ vendor: 'autoposting', secret: SECRET, now: () => sender!.now() }).on('agent.run.completed', () => {
      calls++;
      if (calls < 3) throw new Error('database down');
    });
    const app = express();
    app.post('/webhooks', webhook(receiver));
    sender = createMockSender({ vendor: 'autoposting', secret: SECRET, target: app, path: '/webhooks' });
    const log = await sender.deliver(sender.event('agent.run.completed'));
    expect(log.attempts.map((a) => a.status)).toEqual([500, 500, 200]);
    expect(log.attempts.map((a) => a.delayMs / 1000)).toEqual([0, 300, 1800]);
    expect(log.state).toBe('delivered');
  });
});
