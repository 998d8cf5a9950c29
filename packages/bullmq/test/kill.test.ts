import { afterEach, describe, expect, it } from 'vitest';
import { handleWebhook } from '@hookproof/core';
import { createMockSender } from '@hookproof/mock-sender';
import { bundle, startChild, type Child } from './support/child.js';
import { redisUrl } from './support/provided.js';
import { SECRET, answer, rig, until, type Rig } from './support/rig.js';

// At-least-once: a worker process killed mid-job (SIGKILL: no cleanup, its lock is not
// released) loses nothing. BullMQ's stall check hands the job to another worker once
// the dead worker's lock expires (lockDuration 1 s here; 30 s by default).

const open: (Rig | Child)[] = [];
afterEach(async () => {
  for (const item of open.splice(0).reverse()) await (('stop' in item) ? item.stop() : item.close());
}, 20_000);

describe.skipIf(redisUrl === null)('a worker killed mid-job', () => {
  it('SIGKILL while the handler runs: another worker processes the job; nothing is lost, it completes once', async () => {
    const r = await rig(redisUrl!);
    open.push(r);
    const web = r.instance();
    const sender = createMockSender({ vendor: 'aidelly', secret: SECRET, target: (request: Request) => handleWebhook(request, web.receiver) });
    const event = sender.event('post.published');
    const sent = answer(await sender.send(event));
    expect(sent.status).toBe(202);
    const id = (sent.body as { id: string }).id;

    const file = await bundle(new URL('./fixtures/worker-process.ts', import.meta.url), 'bullmq-worker');
    const child = await startChild(file, 'worker-a', {
      HP_REDIS_PORT: new URL(redisUrl!).port || '6379', HP_QUEUE: r.name, HP_PREFIX: r.prefix, HP_SECRET: SECRET,
    });
    open.push(child);
    const started = await child.waitFor((line) => line.kind === 'started');
    expect(started.id).toBe(id);
    expect(await r.counts()).toMatchObject({ active: 1, completed: 0 });
    child.process.kill('SIGKILL');
    await new Promise<void>((resolve) => (child.process.exitCode !== null || child.process.signalCode !== null ? resolve() : child.process.once('exit', () => resolve())));
    expect(child.process.signalCode).toBe('SIGKILL');

    const startedAt = Date.now();
    r.worker(web, { lockDuration: 1000, stalledInterval: 500 });
    await until(() => r.runs.length === 1, 'the second worker', 20_000);
    await until(async () => (await r.counts()).completed === 1, 'completed');
    console.log(`worker SIGKILLed mid-job: the job was processed by another worker ${Date.now() - startedAt} ms later (lockDuration 1000, stalledInterval 500)`);
    expect(r.runs).toEqual([id]);
    expect(await r.counts()).toMatchObject({ completed: 1, failed: 0, waiting: 0, active: 0 });
    expect(answer(await sender.send(event))).toEqual({ status: 200, body: { error: 'duplicate', message: 'This event was already processed.' } });
    await sender.close();
  }, 40_000);
});

