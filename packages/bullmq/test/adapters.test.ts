import { afterEach, describe, expect, it } from 'vitest';
import { createReceiver } from '@hookproof/core';
import { createMockSender } from '@hookproof/mock-sender';
import { bullmqQueue } from '@hookproof/bullmq';
import { targets } from '../../../hardening/targets.js';
import { HOOK_PATH, type Mounted } from '../../../conformance/driver.js';
import { redisUrl } from './support/provided.js';
import { freePort } from './support/redis-server.js';
import { SECRET, answer, rig, until, type Rig } from './support/rig.js';

// The queue hand-off works wherever a receiver does: core's Fetch handler (handleWebhook),
// Express 4 and 5, Koa 2 and 3, Fastify 4 and 5, over real sockets.

const open: (Rig | Mounted | { close(): Promise<void> })[] = [];
afterEach(async () => {
  for (const item of open.splice(0).reverse()) await item.close();
}, 20_000);

describe.skipIf(redisUrl === null)('the queue through every adapter', () => {
  for (const target of targets) {
    it(`${target.name}: 202 queued, processed by the worker, then 200 duplicate`, async () => {
      const r = await rig(redisUrl!);
      open.push(r);
      const web = r.instance();
      const app = await target.mount({ webhook: { receiver: web.receiver as never } });
      open.push(app);
      const sender = createMockSender({ vendor: 'aidelly', secret: SECRET, target: new URL(HOOK_PATH, await app.listen()).href });
      open.push(sender);
      const event = sender.event('post.scheduled');
      const first = answer(await sender.send(event));
      expect(first.status).toBe(202);
      expect(first.body).toMatchObject({ ok: true, queued: true, type: 'post.scheduled' });
      r.worker(web);
      await until(() => r.runs.length === 1, 'the worker');
      await until(async () => (await r.counts()).completed === 1, 'completed');
      expect(answer(await sender.send(event))).toEqual({ status: 200, body: { error: 'duplicate', message: 'This event was already processed.' } });
    });

    it(`${target.name}: Redis unreachable -> 503 queue_unavailable with Retry-After, within the vendor's deadline`, async () => {
      const port = await freePort(); // nothing listens there
      const queue = bullmqQueue({ connection: { host: '127.0.0.1', port, enableOfflineQueue: false, retryStrategy: () => null }, name: 'unreachable', onWarning: () => undefined, timeoutMs: 500 });
      open.push(queue);
      const receiver = createReceiver({ vendor: 'aidelly', secret: SECRET, queue });
      let ran = 0;
      receiver.onAny(() => void ran++);
      const app = await target.mount({ webhook: { receiver: receiver as never } });
      open.push(app);
      const sender = createMockSender({ vendor: 'aidelly', secret: SECRET, target: new URL(HOOK_PATH, await app.listen()).href });
      open.push(sender);
      const sent = await sender.send(sender.event('post.published'));
      expect(answer(sent)).toEqual({ status: 503, body: { error: 'queue_unavailable', message: expect.stringMatching(/^The delivery could not be queued( in time)?; retry later\.$/) as unknown } });
      expect(sent.response?.headers['retry-after']).toBe('5');
      expect(sent.ms).toBeLessThan(10_000);
      expect(ran).toBe(0);
    });
  }
});
