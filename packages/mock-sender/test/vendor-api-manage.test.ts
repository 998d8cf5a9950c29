import { describe, expect, it } from 'vitest';
import { createMockSender } from '@hookproof/mock-sender';
import { startServer } from './helpers.js';
import { callApi, closeAfterEach, track } from './vendor-api-fetch.js';

// Subscriptions after creation: Aidelly's list and delete endpoints, and Autoposting
// disabling an endpoint that keeps failing. Driven through global fetch as an app would.
closeAfterEach();

const AIDELLY = 'https://api.aidelly.ai/v1/webhooks';
const BEARER = { authorization: 'Bearer sk-test-key' };
const WS_A = '0b7e0a4e-3f55-4c1e-9a1b-6a0d2c1f9e21';
const WS_B = '7c9d8e1f-2a3b-4c5d-8e6f-7a8b9c0d1e2f';
const createHeaders = (key: string, workspace: string) => ({ ...BEARER, 'idempotency-key': key, 'x-aidelly-workspace-id': workspace });

describe('Aidelly: GET /webhooks and DELETE /webhooks/{id} (REST API guide, "Listing and deleting subscriptions")', () => {
  it('an app that lists, then creates only what is missing, at start-up', async () => {
    const sender = track(createMockSender({ vendor: 'aidelly', secret: 'whsec_d' }));
    const app = track(await startServer(() => ({ status: 200 })));
    sender.mockVendorApi();
    // The app's start-up code, run twice (two deploys): the second run finds its webhook.
    const ensureWebhook = async (): Promise<string> => {
      const listed = await callApi('GET', AIDELLY, { headers: BEARER });
      expect(listed.status).toBe(200);
      const mine = (listed.body!['data'] as { id: string; url: string }[]).find((w) => w.url === app.url);
      if (mine !== undefined) return mine.id;
      const created = await callApi('POST', AIDELLY, { headers: createHeaders(`start-${Date.now()}`, WS_A), body: { url: app.url, events: ['post.published'], description: 'start-up' } });
      expect(created.status).toBe(201);
      return created.body!['id'] as string;
    };
    const first = await ensureWebhook();
    expect(await ensureWebhook()).toBe(first);
    const listed = await callApi('GET', AIDELLY, { headers: BEARER });
    expect(listed).toEqual({
      status: 200,
      body: { data: [{ id: first, url: app.url, events: ['post.published'], description: 'start-up', workspace_id: WS_A, created_at: expect.stringMatching(/Z$/) }] },
    });
    await sender.emit('post.published');
    expect(app.requests).toHaveLength(1);
  });

  it('lists every subscription, or one workspace when the request names it; 401 without a key', async () => {
    const sender = track(createMockSender({ vendor: 'aidelly', secret: 'whsec_d' }));
    sender.mockVendorApi();
    for (const [i, ws] of [WS_A, WS_B, WS_A].entries()) {
      expect((await callApi('POST', AIDELLY, { headers: createHeaders(`c${i}`, ws), body: { url: `https://example.com/${i}`, events: ['post.failed'] } })).status).toBe(201);
    }
    const urls = (r: Awaited<ReturnType<typeof callApi>>) => (r.body!['data'] as { url: string }[]).map((w) => w.url);
    expect(urls(await callApi('GET', AIDELLY, { headers: BEARER }))).toEqual(['https://example.com/0', 'https://example.com/1', 'https://example.com/2']);
    expect(urls(await callApi('GET', AIDELLY, { headers: { ...BEARER, 'x-aidelly-workspace-id': WS_B } }))).toEqual(['https://example.com/1']);
    expect(await callApi('GET', AIDELLY)).toEqual({ status: 401, body: { error: 'unauthorized', message: 'Missing or invalid API key' } });
  });

  it('DELETE needs an Idempotency-Key, removes the subscription from the list and from emit, replays, and 404s an unknown id', async () => {
    const sender = track(createMockSender({ vendor: 'aidelly', secret: 'whsec_d' }));
    const keep = track(await startServer(() => ({ status: 200 })));
    const gone = track(await startServer(() => ({ status: 200 })));
    const api = sender.mockVendorApi();
    const create = async (url: string, key: string) => (await callApi('POST', AIDELLY, { headers: createHeaders(key, WS_A), body: { url, events: ['post.published'] } })).body!['id'] as string;
    const keepId = await create(keep.url, 'k1');
    const goneId = await create(gone.url, 'k2');

    const noKey = await callApi('DELETE', `${AIDELLY}/${goneId}`, { headers: BEARER });
    expect(noKey).toEqual({ status: 400, body: { error: 'missing_header', message: 'The idempotency-key header is required.' } });
    expect((await callApi('DELETE', `${AIDELLY}/${goneId}`, { headers: { 'idempotency-key': 'd1' } })).status).toBe(401);
    expect(api.subscriptions).toHaveLength(2);

    const deleted = await callApi('DELETE', `${AIDELLY}/${goneId}`, { headers: { ...BEARER, 'idempotency-key': 'd1' } });
    expect(deleted).toEqual({ status: 200, body: { id: goneId, deleted: true } });
    // A retry of the same request (same key) gets the same answer.
    expect(await callApi('DELETE', `${AIDELLY}/${goneId}`, { headers: { ...BEARER, 'idempotency-key': 'd1' } })).toEqual(deleted);
    // A new request for the deleted id: 404.
    expect(await callApi('DELETE', `${AIDELLY}/${goneId}`, { headers: { ...BEARER, 'idempotency-key': 'd2' } })).toEqual({ status: 404, body: { error: 'not_found', message: `No webhook with id ${goneId}.` } });
    // A malformed id is a 404, not a crash inside the interceptor.
    expect((await callApi('DELETE', `${AIDELLY}/%E0%A4%A`, { headers: { ...BEARER, 'idempotency-key': 'd3' } })).status).toBe(404);
    // The key of that delete, reused for another id: refused.
    expect((await callApi('DELETE', `${AIDELLY}/${keepId}`, { headers: { ...BEARER, 'idempotency-key': 'd1' } })).status).toBe(422);

    expect(api.subscriptions.map((s) => s.id)).toEqual([keepId]);
    expect(((await callApi('GET', AIDELLY, { headers: BEARER })).body!['data'] as { id: string }[]).map((w) => w.id)).toEqual([keepId]);
    const results = await sender.emit('post.published');
    expect(results.map((r) => r.subscription.id)).toEqual([keepId]);
    expect(keep.requests).toHaveLength(1);
    expect(gone.requests).toHaveLength(0);
  });

  it('Timbrix and Autoposting document no list or delete: those calls are not intercepted', async () => {
    const sender = track(createMockSender({ vendor: 'timbrix' }));
    sender.mockVendorApi();
    await expect(fetch('https://api.timbrix.mx/v1/organizations/5a1f0c8e-2b7d-4e3a-9c6f-1d2e3f4a5b6c/webhooks', { headers: BEARER })).rejects.toThrow();
  });
});

describe('Autoposting disables an endpoint after repeated failures (concept page; threshold assumed)', () => {
  const AUTOPOSTING = 'https://app.autoposting.ai/api-proxy/webhooks';
  const register = async (url: string) => {
    const r = await callApi('POST', AUTOPOSTING, { headers: BEARER, body: { url, events: ['post.failed', 'post.published'] } });
    expect(r.status).toBe(200);
    return (r.body!['data'] as { id: string }).id;
  };

  it('by default after 5 failed deliveries (each its whole retry schedule): enabled reads false, emit sends nothing more; a healthy endpoint is unaffected', async () => {
    const sender = track(createMockSender({ vendor: 'autoposting' }));
    const down = track(await startServer(() => ({ status: 500 })));
    const up = track(await startServer(() => ({ status: 200 })));
    const api = sender.mockVendorApi();
    const downId = await register(down.url);
    await register(up.url);
    for (let i = 1; i <= 5; i++) {
      const results = await sender.emit('post.failed');
      expect(results.map((r) => r.log.state)).toEqual(['failed', 'delivered']);
      expect(results[0]!.log.attempts).toHaveLength(6); // 1 try + 5 retries, on the virtual clock
      expect(api.subscriptions.find((s) => s.id === downId)!.enabled).toBe(i < 5);
    }
    expect(down.requests).toHaveLength(30);
    const after = await sender.emit('post.published');
    expect(after.map((r) => r.subscription.url)).toEqual([up.url]);
    expect(down.requests).toHaveLength(30);
    expect(up.requests).toHaveLength(6);
  });

  it('counts consecutive failures only: a delivered event resets the count', async () => {
    let failing = true;
    const sender = track(createMockSender({ vendor: 'autoposting' }));
    const flaky = track(await startServer(() => ({ status: failing ? 503 : 200 })));
    const api = sender.mockVendorApi({ disableAfterFailures: 3 });
    await register(flaky.url);
    const run = async (n: number) => {
      for (let i = 0; i < n; i++) await sender.emit('post.failed', undefined, { retries: 'none' });
    };
    await run(2);
    failing = false;
    await run(1);
    failing = true;
    await run(2);
    expect(api.subscriptions[0]!.enabled).toBe(true);
    await run(1);
    expect(api.subscriptions[0]!.enabled).toBe(false);
    expect(await sender.emit('post.failed')).toEqual([]);
    expect(flaky.requests).toHaveLength(6);
  });

  it('mockVendorApi({ disableAfterFailures: false }) never disables; other vendors never do by default', async () => {
    const sender = track(createMockSender({ vendor: 'autoposting' }));
    const down = track(await startServer(() => ({ status: 500 })));
    const api = sender.mockVendorApi({ disableAfterFailures: false });
    await register(down.url);
    for (let i = 0; i < 8; i++) await sender.emit('post.failed', undefined, { retries: 'none' });
    expect(api.subscriptions[0]!.enabled).toBe(true);
    expect(down.requests).toHaveLength(8);

    const timbrix = track(createMockSender({ vendor: 'timbrix' }));
    const tApi = timbrix.mockVendorApi({ baseUrl: 'https://timbrix.test/v1' });
    const org = '5a1f0c8e-2b7d-4e3a-9c6f-1d2e3f4a5b6c';
    expect((await callApi('POST', `https://timbrix.test/v1/organizations/${org}/webhooks`, { headers: BEARER, body: { url: down.url, events: ['member.added'] } })).status).toBe(201);
    for (let i = 0; i < 8; i++) await timbrix.emit('member.added', undefined, { retries: 'none' });
    expect(tApi.subscriptions[0]!.enabled).toBe(true);
    expect(down.requests).toHaveLength(16);
  });

  it('disableAfterFailures must be a positive integer or false', () => {
    const sender = createMockSender({ vendor: 'autoposting' });
    for (const bad of [0, -1, 2.5, Number.NaN, '3']) {
      expect(() => sender.mockVendorApi({ disableAfterFailures: bad as number })).toThrow(/disableAfterFailures` must be a positive integer/);
    }
  });
});
