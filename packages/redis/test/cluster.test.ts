import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMockSender, type AttemptResult, type MockSender } from '@hookproof/mock-sender';
import { bundle, startChild, type Child } from './support/child.js';
import { connectedIoredis, deleteKeys, uniquePrefix } from './support/clients.js';
import { redisUrl } from './support/provided.js';

// Two receiver instances as two OS processes (test/fixtures/receiver-process.ts), each
// with its own Redis client, behind a round-robin "load balancer", sharing one Redis.
// The mock sender delivers like the vendor: 50 concurrent copies, retries, and a
// holder killed with SIGKILL in the middle of its handler.

const SECRET = 'whsec_cluster-test-secret';
const CLAIM_TTL_MS = 1500;

interface Reply {
  readonly status: number | undefined;
  readonly processed: boolean;
  readonly code: string | undefined;
}

function reply(attempt: AttemptResult): Reply {
  const body = attempt.response === undefined ? {} : (JSON.parse(attempt.response.body) as { ok?: boolean; error?: string });
  return { status: attempt.status, processed: body.ok === true, code: body.error };
}

describe.skipIf(redisUrl === null)('two receiver processes sharing one Redis', () => {
  const url = redisUrl ?? '';
  const prefix = uniquePrefix('cluster');
  let redis: Redis;
  let children: Child[] = [];
  let targets: string[] = [];
  const routed = new Map<string, number>();
  let sender: MockSender<'autoposting'>;

  const counter = async (what: 'runs' | 'completed', id: string) => Number((await redis.get(`${prefix}${what}:${id}`)) ?? 0);

  beforeAll(async () => {
    redis = await connectedIoredis(url);
    const file = await bundle(new URL('./fixtures/receiver-process.ts', import.meta.url), 'receiver-process');
    const env = { HP_REDIS_URL: url, HP_PREFIX: prefix, HP_SECRET: SECRET, HP_CLAIM_TTL_MS: String(CLAIM_TTL_MS), HP_HOLD_MS: '300' };
    children = await Promise.all([startChild(file, 'A', env), startChild(file, 'B', env)]);
    targets = children.map((c) => c.url);
    let next = 0;
    // The load balancer: each request goes to the next live instance in turn.
    const balance = async (request: Request): Promise<Response> => {
      const target = targets[next++ % targets.length] as string;
      routed.set(target, (routed.get(target) ?? 0) + 1);
      const headers = new Headers(request.headers);
      headers.delete('content-length');
      headers.delete('host');
      return fetch(target, { method: 'POST', headers, body: await request.arrayBuffer() });
    };
    sender = createMockSender({ vendor: 'autoposting', secret: SECRET, target: { fetch: balance } });
  }, 30_000);

  afterAll(async () => {
    await Promise.all(children.map((c) => c.stop()));
    await sender?.close();
    if (redis !== undefined) {
      await deleteKeys(redis, prefix);
      await redis.quit();
    }
  }, 15_000);

  it('50 concurrent copies over two instances: the handler runs once, the rest get 409 or 200; a retry after it finished gets 200', async () => {
    const event = sender.event('post.published');
    routed.clear();
    const result = await sender.send(event, { fault: { concurrent: 50 } });
    const replies = result.copies.map(reply);

    expect(replies).toHaveLength(50);
    expect([...routed.values()]).toEqual([25, 25]); // both instances took copies
    expect(replies.filter((r) => r.processed)).toHaveLength(1);
    for (const r of replies.filter((r) => !r.processed)) {
      expect([409, 200]).toContain(r.status);
      expect(r.code).toBe(r.status === 409 ? 'in_progress' : 'duplicate');
    }
    expect(replies.filter((r) => r.status === 409).length).toBeGreaterThan(0); // the handler takes 300 ms
    expect(await counter('runs', event.payload.id)).toBe(1);
    expect(await counter('completed', event.payload.id)).toBe(1);

    // The vendor's retry of a copy that got 409, once processing has finished.
    const retry = reply(await sender.send(event));
    expect(retry).toEqual({ status: 200, processed: false, code: 'duplicate' });
    expect(await counter('runs', event.payload.id)).toBe(1);
  }, 20_000);

  it('a handler error releases the claim on the shared store: the retry is processed by either instance', async () => {
    const event = sender.event('post.failed');
    const id = event.payload.id;
    await redis.set(`${prefix}fail:${id}`, '1');
    await redis.set(`${prefix}hold:${id}`, '10');
    const failed = reply(await sender.send(event));
    expect(failed).toEqual({ status: 500, processed: false, code: 'handler_error' });

    await redis.del(`${prefix}fail:${id}`);
    const retried = await sender.send(event, { fault: { concurrent: 10 } });
    expect(retried.copies.map(reply).filter((r) => r.processed)).toHaveLength(1);
    expect(await counter('runs', id)).toBe(2);
    expect(await counter('completed', id)).toBe(1);
  }, 20_000);

  it('the holder is killed mid-handler (SIGKILL): retries get 409 until its claim expires, then one is processed', async () => {
    const event = sender.event('post.published');
    const id = event.payload.id;
    await redis.set(`${prefix}hold:${id}`, '30000');
    const first = sender.send(event);
    const started = await Promise.race(children.map((c) => c.waitFor((l) => l.kind === 'start' && l.id === id)));
    const holder = children.find((c) => c.name === started.name) as Child;
    const survivor = children.find((c) => c !== holder) as Child;
    holder.process.kill('SIGKILL');
    targets = [survivor.url];

    const lost = await first;
    expect(lost.ok).toBe(false); // the vendor saw no 2xx: it will retry
    expect(lost.outcome).toBe('network-error');
    await redis.set(`${prefix}hold:${id}`, '10');
    const early = reply(await sender.send(event));
    expect(early).toEqual({ status: 409, processed: false, code: 'in_progress' });

    await sleep(CLAIM_TTL_MS + 200);
    const late = reply(await sender.send(event));
    expect(late).toEqual({ status: 200, processed: true, code: undefined });
    expect(await counter('runs', id)).toBe(2); // the dead holder's run and the survivor's
    expect(await counter('completed', id)).toBe(1);
    expect(survivor.lines.filter((l) => l.kind === 'end' && l.id === id)).toHaveLength(1);
  }, 30_000);
});
