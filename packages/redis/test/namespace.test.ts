import { createHmac } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReceiver } from '@hookproof/core';
import { createRedisStore, type IoRedisLike } from '@hookproof/redis';
import { connectedIoredis, deleteKeys } from './support/clients.js';
import { redisUrl } from './support/provided.js';

// Issue 15 item 6: two applications subscribe to the same vendor event and share one
// Redis. Neither may answer `duplicate` to an event only the other processed.

describe('createRedisStore: a namespace is required', () => {
  const client: IoRedisLike = { evalsha: async () => 'new', eval: async () => 'new' };

  it('without one, a TypeError names the fix', () => {
    expect(() => createRedisStore({ client } as unknown as Parameters<typeof createRedisStore>[0])).toThrow(
      /^@hookproof\/redis: createRedisStore\(\{ client, namespace \}\) needs a `namespace`: the name of this application, e\.g\. namespace: 'billing'\. Two applications sharing a Redis must use different ones/,
    );
  });

  it('refuses a namespace that could make two keys collide or is not a name', () => {
    for (const bad of ['', 'a:b', 'has space', 'x'.repeat(101), 5, null]) {
      expect(() => createRedisStore({ client, namespace: bad as string })).toThrow(/namespace must be 1 to 100 letters, digits/);
    }
    expect(createRedisStore({ client, namespace: 'billing-v2.eu_1' }).namespace).toBe('billing-v2.eu_1');
  });
});

describe.skipIf(redisUrl === null)('two applications on one Redis, default prefix', () => {
  let io: Redis;
  const run = `${process.pid}-${Date.now().toString(36)}`;

  beforeAll(async () => {
    io = await connectedIoredis(redisUrl ?? '');
  });
  afterAll(async () => {
    for (const ns of ['billing', 'analytics']) await deleteKeys(io, `hookproof:dedupe:${ns}-${run}:`);
    io.disconnect();
  });

  it('the same Autoposting event reaches both: each runs its handlers once, neither answers duplicate', async () => {
    // Each application registered its own webhook endpoint, with its own signing secret.
    const apps = ['billing', 'analytics'].map((name) => {
      const secret = `whsec_${name}`;
      const runs: string[] = [];
      const receiver = createReceiver({ vendor: 'autoposting', secret, dedupe: createRedisStore({ client: io, namespace: `${name}-${run}` }) });
      receiver.on('post.published', (event) => void runs.push(event.id));
      return { secret, runs, receiver };
    });
    const body = JSON.stringify({ id: `evt_shared_${run}`, event: 'post.published', timestamp: new Date().toISOString(), orgId: 'org_1', data: {} });
    const deliver = (app: (typeof apps)[number]) => {
      const timestamp = String(Math.floor(Date.now() / 1000));
      const signature = createHmac('sha256', app.secret).update(`${timestamp}.${body}`).digest('hex');
      return app.receiver.receive({ body, headers: { 'x-autoposting-signature': signature, 'x-autoposting-timestamp': timestamp, 'x-autoposting-event': 'post.published' } });
    };
    for (const app of apps) expect((await deliver(app)).body).toEqual({ ok: true, id: `evt_shared_${run}`, type: 'post.published' });
    for (const app of apps) expect((await deliver(app)).body).toMatchObject({ error: 'duplicate' }); // each still dedupes its own
    expect(apps.map((a) => a.runs)).toEqual([[`evt_shared_${run}`], [`evt_shared_${run}`]]);
    expect(await io.get(`hookproof:dedupe:billing-${run}:autoposting:evt_shared_${run}`)).toBe('done');
    expect(await io.get(`hookproof:dedupe:analytics-${run}:autoposting:evt_shared_${run}`)).toBe('done');
  });
});
