import { createHash, createHmac } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { handleWebhook, type Receiver } from '@hookproof/core';
import { createMockSender } from '@hookproof/mock-sender';
import { deadLetters, jobIdFor } from '@hookproof/bullmq';
import { redisUrl } from './support/provided.js';
import { SECRET, answer, connectionOf, rig, until, type Rig } from './support/rig.js';

// The web side and the worker against a real Redis (the shared test server). Deliveries
// come from the mock sender (Aidelly: 2xx within 10 s, retries after 5, 25, 125, 625, 3125 s).

const rigs: Rig[] = [];
afterEach(async () => {
  for (const r of rigs.splice(0)) await r.close();
}, 20_000);

async function fresh(handler?: Parameters<typeof rig>[1]): Promise<Rig> {
  const r = await rig(redisUrl!, handler);
  rigs.push(r);
  return r;
}

/** Aidelly's signature, computed here with node:crypto: `sha256=` + hex HMAC-SHA256 of the body. */
function aidellyHeaders(body: string): Record<string, string> {
  return { 'content-type': 'application/json', 'aidelly-signature': `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}` };
}

/** Aidelly sends no event id: the dedupe id is sha256: + the first 32 hex digits of SHA-256 over the body. */
const digestId = (body: string) => `sha256:${createHash('sha256').update(body).digest('hex').slice(0, 32)}`;

describe.skipIf(redisUrl === null)('@hookproof/bullmq: acknowledge what is queued', () => {
  it('202 { ok, queued, id, type } once the job is written; the handler runs in the worker, not in the request', async () => {
    const r = await fresh();
    const web = r.instance();
    const body = JSON.stringify({ event: 'post.published', created_at: '2026-01-01T00:00:00Z', data: { post_id: 'p1' } });
    const result = await web.receiver.receive({ body, headers: aidellyHeaders(body) });
    const id = digestId(body);
    expect(result.status).toBe(202);
    expect(result.body).toEqual({ ok: true, queued: true, id, type: 'post.published' });
    expect(r.calls).toEqual([]); // nothing ran in the request
    // The job is in Redis under the event's id, with the verified bytes and the receive time.
    const job = await web.queue.queue.getJob(jobIdFor('aidelly', id));
    expect(job?.id).toBe(`aidelly/${encodeURIComponent(id)}`);
    expect(job?.id).not.toContain(':');
    expect(job?.data).toMatchObject({ vendor: 'aidelly', id, type: 'post.published', raw: body, idSource: 'body-digest' });
    expect(job?.data.headers['aidelly-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(typeof job?.data.receivedAt).toBe('number');

    r.worker(web);
    await until(() => r.runs.length === 1, 'the worker');
    expect(r.runs).toEqual([id]);
    // Marked done in the dedupe store after the handler: the vendor's retry is a duplicate.
    await until(async () => (await web.receiver.receive({ body, headers: aidellyHeaders(body) })).status === 200, 'done in the store');
    const again = await web.receiver.receive({ body, headers: aidellyHeaders(body) });
    expect([again.status, again.body]).toEqual([200, { error: 'duplicate', message: 'This event was already processed.' }]);
    expect(await r.counts()).toMatchObject({ completed: 1, failed: 0, waiting: 0 });
    expect(r.calls).toEqual([id]);
  });

  it('a tampered delivery is refused before anything is queued', async () => {
    const r = await fresh();
    const web = r.instance();
    const body = JSON.stringify({ event: 'post.published', created_at: '2026-01-01T00:00:00Z', data: {} });
    const result = await web.receiver.receive({ body: body.replace('post.published', 'post.canceled'), headers: aidellyHeaders(body) });
    expect(result.status).toBe(401);
    expect(await r.counts()).toMatchObject({ completed: 0, waiting: 0 });
  });

  it('a vendor retry after a lost 202 makes no second job; a retry after processing gets 200 duplicate', async () => {
    const r = await fresh();
    const web = r.instance();
    const sender = createMockSender({ vendor: 'aidelly', secret: SECRET, target: fetchOf(web.receiver) });
    const event = sender.event('post.published');
    expect(answer(await sender.send(event)).status).toBe(202);
    // The 202 was "lost": the vendor sends the event again, twice.
    expect(answer(await sender.send(event)).status).toBe(202);
    expect(answer(await sender.send(event)).status).toBe(202);
    expect(await r.counts()).toMatchObject({ waiting: 1 });
    r.worker(web);
    await until(() => r.runs.length === 1, 'the worker');
    await until(async () => (await r.counts()).completed === 1, 'completed');
    const after = answer(await sender.send(event));
    expect(after).toEqual({ status: 200, body: { error: 'duplicate', message: 'This event was already processed.' } });
    await sleep(100);
    expect(r.calls).toHaveLength(1);
    expect(await r.counts()).toMatchObject({ completed: 1, waiting: 0, delayed: 0, active: 0 });
    await sender.close();
  });

  it('200 concurrent copies of one delivery across two web instances: one job, the handler runs once', async () => {
    const r = await fresh();
    const a = r.instance();
    const b = r.instance();
    const senderA = createMockSender({ vendor: 'aidelly', secret: SECRET, target: fetchOf(a.receiver), seed: 7 });
    const senderB = createMockSender({ vendor: 'aidelly', secret: SECRET, target: fetchOf(b.receiver), seed: 7 });
    const event = senderA.event('post.published');
    expect(senderB.event('post.published').payload).toEqual(event.payload); // the same delivery at both
    const [sa, sb] = await Promise.all([senderA.send(event, { fault: { concurrent: 100 } }), senderB.send(event, { fault: { concurrent: 100 } })]);
    const statuses = [...sa.copies, ...sb.copies].map((c) => c.status);
    expect(statuses).toHaveLength(200);
    // Each copy is either acknowledged (queued: one job) or told to retry (409 while another copy is being written).
    expect(statuses.every((s) => s === 202 || s === 409)).toBe(true);
    expect(statuses.filter((s) => s === 202).length).toBeGreaterThanOrEqual(1);
    expect(await r.counts()).toMatchObject({ waiting: 1 });
    r.worker(a);
    r.worker(b);
    await until(async () => (await r.counts()).completed === 1, 'completed');
    await sleep(200);
    expect(r.calls).toHaveLength(1);
    expect(r.runs).toHaveLength(1);
    const later = await senderB.send(event);
    expect(answer(later)).toEqual({ status: 200, body: { error: 'duplicate', message: 'This event was already processed.' } });
    console.log(`200 concurrent copies: ${statuses.filter((s) => s === 202).length} x 202, ${statuses.filter((s) => s === 409).length} x 409, 1 job, 1 handler run`);
    await senderA.close();
    await senderB.close();
  });

  it('a handler failing twice then succeeding: one 202, it succeeds once, each failed attempt logged', async () => {
    const r = await fresh(async (_id, calls) => {
      if (calls <= 2) throw new Error(`CRM down (call ${calls})`);
    });
    const web = r.instance({ attempts: 5 });
    const sender = createMockSender({ vendor: 'aidelly', secret: SECRET, target: fetchOf(web.receiver) });
    const event = sender.event('post.published');
    const log = await sender.deliver(event, { retries: 'vendor', clock: 'virtual' });
    expect(log.state).toBe('delivered');
    expect(log.attempts.map((a) => a.status)).toEqual([202]);
    r.worker(web);
    await until(() => r.runs.length === 1, 'the third attempt');
    expect(r.calls).toHaveLength(3);
    const id = r.runs[0]!;
    const jobId = jobIdFor('aidelly', id);
    const { logs } = await web.queue.queue.getJobLogs(jobId);
    expect(logs).toHaveLength(3);
    expect(logs[0]).toMatch(/attempt 1 of 5 failed: Error: CRM down \(call 1\)$/);
    expect(logs[1]).toMatch(/attempt 2 of 5 failed: Error: CRM down \(call 2\)$/);
    expect(logs[2]).toMatch(/attempt 3 succeeded$/);
    // The receiver's onError observers saw both failures, each saying the worker retries.
    expect(web.errors.map((e) => [e.code, e.message])).toEqual([
      ['handler_error', 'The event handler failed on attempt 1; the worker will retry.'],
      ['handler_error', 'The event handler failed on attempt 2; the worker will retry.'],
    ]);
    await until(async () => (await r.counts()).completed === 1, 'completed');
    expect(answer(await sender.send(event)).status).toBe(200);
    await sender.close();
  });

  it('a dead job: listed with why each attempt failed; replayed after a fix, processed once, then a duplicate', async () => {
    let fixed = false;
    const r = await fresh(async () => {
      if (!fixed) throw new Error('bug: undefined is not a function');
    });
    const web = r.instance({ attempts: 2 });
    const sender = createMockSender({ vendor: 'aidelly', secret: SECRET, target: fetchOf(web.receiver) });
    const event = sender.event('post.failed');
    expect(answer(await sender.send(event)).status).toBe(202);
    r.worker(web);
    await until(async () => (await r.counts()).failed === 1, 'the dead letter');
    expect(r.runs).toEqual([]);
    expect(web.errors.at(-1)?.message).toBe('The event handler failed on attempt 2, the last; the job is kept with the failed jobs (dead letters).');

    const dead = deadLetters({ connection: connectionOf(r.url), name: r.name, prefix: r.prefix });
    try {
      const [letter, ...rest] = await dead.list();
      expect(rest).toEqual([]);
      expect(letter).toMatchObject({ vendor: 'aidelly', type: 'post.failed', attempts: 2, reason: 'bug: undefined is not a function' });
      expect(letter!.jobId).toBe(jobIdFor('aidelly', letter!.eventId));
      expect(letter!.log.map((line) => line.replace(/^\S+ /, ''))).toEqual([
        'attempt 1 of 2 failed: Error: bug: undefined is not a function',
        'attempt 2 of 2 failed: Error: bug: undefined is not a function',
      ]);
      expect(letter!.stacktrace.length).toBeGreaterThanOrEqual(1);
      expect(letter!.delivery.raw).toBe(event.body);
      // The vendor's retry meanwhile: the event is queued (dead), no second job.
      expect(answer(await sender.send(event)).status).toBe(202);
      expect(await dead.count()).toBe(1);

      fixed = true;
      expect(await dead.replay('aidelly/nope')).toBe(false);
      expect(await dead.replay(letter!.jobId)).toBe(true);
      await until(() => r.runs.length === 1, 'the replay');
      await until(async () => (await r.counts()).completed === 1, 'completed');
      expect(await dead.count()).toBe(0);
      expect(answer(await sender.send(event))).toEqual({ status: 200, body: { error: 'duplicate', message: 'This event was already processed.' } });
      await sleep(100);
      expect(r.runs).toEqual([letter!.eventId]);
    } finally {
      await dead.close();
      await sender.close();
    }
  });

  it('replayAll puts every dead letter back', async () => {
    let fixed = false;
    const r = await fresh(async () => {
      if (!fixed) throw new Error('down');
    });
    const web = r.instance({ attempts: 1 });
    const sender = createMockSender({ vendor: 'aidelly', secret: SECRET, target: fetchOf(web.receiver) });
    for (let i = 0; i < 3; i++) expect(answer(await sender.send(sender.event('post.created'))).status).toBe(202);
    r.worker(web, { concurrency: 3 });
    await until(async () => (await r.counts()).failed === 3, 'three dead letters');
    const dead = deadLetters({ connection: connectionOf(r.url), name: r.name, prefix: r.prefix });
    fixed = true;
    expect(await dead.replayAll()).toBe(3);
    await until(() => r.runs.length === 3, 'three replays');
    expect(new Set(r.runs).size).toBe(3);
    await dead.close();
    await sender.close();
  });
});

/** The receiver behind core's Fetch adapter, `handleWebhook`. */
function fetchOf(receiver: Receiver<'aidelly'>): (request: Request) => Promise<Response> {
  return (request) => handleWebhook(request, receiver);
}
