import https from 'node:https';
import { afterEach, describe, expect, it } from 'vitest';
import nock from 'nock';
import { createMockSender, type MockSender } from '@hookproof/mock-sender';
import { hmacHex, startReceiver, startServer, type RunningReceiver, type TestServer } from './helpers.js';

const API_KEY = 'sk-social-test-key';
const opened: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const o of opened.splice(0).reverse()) await o.close();
  expect(nock.activeMocks()).toEqual([]);
});
const track = <T extends { close(): Promise<void> }>(x: T): T => {
  opened.push(x);
  return x;
};

/** The application under test registers its endpoint at start-up with global fetch. */
async function registerWithFetch(url: string, init: { headers: Record<string, string>; body: unknown }) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...init.headers }, body: JSON.stringify(init.body) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** The same with node:https, as older SDKs do. */
function registerWithHttps(url: string, init: { headers: Record<string, string>; body: unknown }): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = https.request(url, { method: 'POST', headers: { 'content-type': 'application/json', ...init.headers } }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown> }));
    });
    req.on('error', reject);
    req.end(JSON.stringify(init.body));
  });
}

describe('Autoposting: POST /webhooks (API reference), app using fetch', () => {
  it('registers, then receives only subscribed events, signed with the registered secret', async () => {
    const sender: MockSender<'autoposting'> = track(createMockSender({ vendor: 'autoposting', seed: 5 }));
    const app: RunningReceiver = track(await startReceiver({ vendor: 'autoposting', secret: 'whsec_app_secret', now: () => sender.now() }));
    const api = sender.mockVendorApi();
    const created = await registerWithFetch('https://app.autoposting.ai/api-proxy/webhooks', {
      headers: { authorization: `Bearer ${API_KEY}` },
      body: { url: app.url, events: ['post.published', 'post.failed'], secret: 'whsec_app_secret' },
    });
    // The documented response (Autoposting's API reference): { success, data: { id, url, events, enabled, createdAt } }.
    expect(created).toEqual({
      status: 200,
      body: {
        success: true,
        data: { id: expect.stringMatching(/^wh_[0-9A-HJKMNP-TV-Z]{26}$/), url: app.url, events: ['post.published', 'post.failed'], enabled: true, createdAt: expect.stringMatching(/Z$/) },
      },
    });
    api.done();

    const delivered = await sender.emit('post.published', { data: { postId: 'post_1' } });
    expect(delivered).toHaveLength(1);
    expect(delivered[0]!.log.state).toBe('delivered');
    expect(app.results).toEqual([{ status: 200, code: undefined }]);
    const sent = delivered[0]!.log.attempts[0]!.request;
    const ts = sent.headers['X-Autoposting-Timestamp']!;
    expect(sent.headers['X-Autoposting-Signature']).toBe(hmacHex('whsec_app_secret', Buffer.concat([Buffer.from(`${ts}.`), Buffer.from(sent.body)])));
    expect(JSON.parse(Buffer.from(sent.body).toString()).data).toEqual({ postId: 'post_1' });

    // Not subscribed: never sent.
    expect(await sender.emit('clip.render.completed')).toEqual([]);
    expect(await sender.emit('agent.run.failed')).toEqual([]);
    expect(app.results).toHaveLength(1);
    api.restore();
  });

  it("401 with the documented body without an API key; x-api-key works too; '*' and enabled: false", async () => {
    const sender = track(createMockSender({ vendor: 'autoposting' }));
    const all = track(await startServer(() => ({ status: 200 })));
    const off = track(await startServer(() => ({ status: 200 })));
    sender.mockVendorApi();
    const base = 'https://app.autoposting.ai/api-proxy/webhooks';
    expect(await registerWithFetch(base, { headers: {}, body: { url: all.url, events: ['*'] } })).toEqual({
      status: 401,
      body: { success: false, error: 'unauthorized', message: 'Missing or invalid API key' },
    });
    expect((await registerWithFetch(base, { headers: { authorization: 'Basic abc' }, body: { url: all.url, events: ['*'] } })).status).toBe(401);
    expect((await registerWithFetch(base, { headers: { 'x-api-key': API_KEY }, body: { url: all.url, events: ['*'] } })).status).toBe(200);
    expect((await registerWithFetch(base, { headers: { 'x-api-key': API_KEY }, body: { url: off.url, events: ['*'], enabled: false } })).status).toBe(200);
    // Bad bodies: 400 in the vendor's error shape (shape assumed from its 401).
    for (const body of [{ url: 'http://example.com/x', events: ['*'] }, { url: all.url, events: ['nope'] }, { url: all.url, events: [] }, { url: all.url }]) {
      const r = await registerWithFetch(base, { headers: { 'x-api-key': API_KEY }, body });
      expect(r.status).toBe(400);
      expect(r.body).toMatchObject({ success: false, error: expect.any(String), message: expect.any(String) });
    }
    // No secret given at registration: Autoposting delivers unsigned.
    const results = await sender.emit('agent.run.failed');
    expect(results.map((r) => r.subscription.url)).toEqual([all.url]);
    expect(all.requests[0]!.headers['x-autoposting-signature']).toBeUndefined();
    expect(all.requests[0]!.headers['x-autoposting-event']).toBe('agent.run.failed');
    expect(off.requests).toHaveLength(0);
  });
});

describe('Aidelly: POST /webhooks with Idempotency-Key and x-aidelly-workspace-id (REST API guide), app using node:https', () => {
  const url = 'https://api.aidelly.ai/v1/webhooks';
  const headers = (key: string) => ({ authorization: `Bearer ${API_KEY}`, 'idempotency-key': key, 'x-aidelly-workspace-id': '0b7e0a4e-3f55-4c1e-9a1b-6a0d2c1f9e21' });

  it('requires both headers; the same Idempotency-Key replays the same response and registers once', async () => {
    const sender = track(createMockSender({ vendor: 'aidelly', secret: 'whsec_dashboard_secret', seed: 11 }));
    const app = track(await startServer(() => ({ status: 200 })));
    const api = sender.mockVendorApi();
    const body = { url: app.url, events: ['post.published', 'post.failed'], description: 'Post completion handler' };
    const missing = await registerWithHttps(url, { headers: { authorization: `Bearer ${API_KEY}`, 'x-aidelly-workspace-id': 'w' }, body });
    expect(missing.status).toBe(400);
    expect(missing.body['message']).toMatch(/idempotency-key/i);
    expect((await registerWithHttps(url, { headers: { authorization: `Bearer ${API_KEY}`, 'idempotency-key': 'k' }, body })).body['message']).toMatch(/x-aidelly-workspace-id/);
    const first = await registerWithHttps(url, { headers: headers('webhook-1'), body });
    const again = await registerWithHttps(url, { headers: headers('webhook-1'), body });
    expect(first.status).toBe(201);
    expect(again).toEqual(first);
    expect(api.subscriptions).toHaveLength(1);
    expect(first.body).toMatchObject({ url: app.url, events: ['post.published', 'post.failed'], description: 'Post completion handler', workspace_id: '0b7e0a4e-3f55-4c1e-9a1b-6a0d2c1f9e21' });

    // Subscribed: delivered with the dashboard secret and the registering workspace's id.
    const [result] = await sender.emit('post.published');
    expect(result!.log.state).toBe('delivered');
    const rec = app.requests[0]!;
    expect(rec.headers['aidelly-signature']).toBe(`sha256=${hmacHex('whsec_dashboard_secret', rec.body)}`);
    expect(JSON.parse(rec.body.toString()).workspace_id).toBe('0b7e0a4e-3f55-4c1e-9a1b-6a0d2c1f9e21');
    // Not subscribed.
    expect(await sender.emit('post.created')).toEqual([]);
    expect(await sender.emit('post.canceled')).toEqual([]);
    expect(app.requests).toHaveLength(1);
  });

  it('emit uses the retry schedule too (a failing subscriber gets six attempts)', async () => {
    const sender = track(createMockSender({ vendor: 'aidelly', secret: 'whsec_x' }));
    const app = track(await startServer(() => ({ status: 500 })));
    sender.mockVendorApi();
    await registerWithFetch(url, { headers: headers('k2'), body: { url: app.url, events: ['post.failed'] } });
    const [result] = await sender.emit('post.failed');
    expect(result!.log.attempts.map((a) => a.delayMs / 1000)).toEqual([0, 5, 25, 125, 625, 3125]);
    expect(app.requests).toHaveLength(6);
  });
});

describe('Timbrix: POST /organizations/{organizationId}/webhooks returns the secret once (API reference)', () => {
  it('deliveries are signed with the secret the mock returned', async () => {
    const sender = track(createMockSender({ vendor: 'timbrix', seed: 3 }));
    const app = track(await startServer(() => ({ status: 200 })));
    sender.mockVendorApi();
    const org = '5a1f0c8e-2b7d-4e3a-9c6f-1d2e3f4a5b6c';
    const bad = await registerWithFetch('https://api.timbrix.mx/v1/organizations/not-a-uuid/webhooks', {
      headers: { authorization: `Bearer ${API_KEY}` },
      body: { url: app.url, events: ['member.added'] },
    });
    expect(bad.status).toBe(400);
    const created = await registerWithFetch(`https://api.timbrix.mx/v1/organizations/${org}/webhooks`, {
      headers: { authorization: `Bearer ${API_KEY}` },
      body: { url: app.url, events: ['member.added', 'member.removed'] },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ organizationId: org, url: app.url, events: ['member.added', 'member.removed'], secret: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const secret = created.body['secret'] as string;
    await sender.emit('member.added');
    await sender.emit('organization.deleted');
    expect(app.requests).toHaveLength(1);
    expect(app.requests[0]!.headers['x-webhook-signature']).toBe(hmacHex(secret, app.requests[0]!.body));
  });
});

describe('nock plumbing', () => {
  it('Audenci has no webhook API (its help page: dashboard only): a clear setup error', () => {
    const sender = createMockSender({ vendor: 'audenci', secret: 's' });
    expect(() => sender.mockVendorApi()).toThrow(/no webhook API/);
  });

  it('emit before mockVendorApi, and a second mockVendorApi, are setup errors; done() reports an unused mock', async () => {
    const sender = track(createMockSender({ vendor: 'timbrix' }));
    await expect(sender.emit('member.added')).rejects.toThrow(/mockVendorApi/);
    const api = sender.mockVendorApi();
    expect(() => sender.mockVendorApi()).toThrow(/already active/);
    expect(api.isDone()).toBe(false);
    expect(() => api.done()).toThrow(/organizations\/\{organizationId\}\/webhooks/);
    api.restore();
    expect(nock.activeMocks()).toEqual([]);
    // After restore it can be mocked again.
    sender.mockVendorApi().restore();
  });

  it('loopback stays reachable even if the test disabled net connect (nock#239)', async () => {
    nock.disableNetConnect();
    try {
      const sender = track(createMockSender({ vendor: 'timbrix' }));
      const app = track(await startServer(() => ({ status: 200 })));
      sender.mockVendorApi({ baseUrl: 'https://timbrix.test/api' });
      const created = await registerWithFetch('https://timbrix.test/api/organizations/5a1f0c8e-2b7d-4e3a-9c6f-1d2e3f4a5b6c/webhooks', {
        headers: { authorization: 'Bearer t' },
        body: { url: app.url, events: ['*'] },
      });
      expect(created.status).toBe(201);
      const [r] = await sender.emit('invite.accepted');
      expect(r!.log.state).toBe('delivered');
      // Anything else is blocked while the mock is active, so a wrong base URL cannot reach a real vendor.
      await expect(fetch('https://api.timbrix.mx/v1/organizations/x/webhooks', { method: 'POST' })).rejects.toThrow();
    } finally {
      nock.enableNetConnect();
    }
  });

  it('apiKeys restricts the accepted keys', async () => {
    const sender = track(createMockSender({ vendor: 'timbrix' }));
    sender.mockVendorApi({ apiKeys: ['good'] });
    const post = (key: string) =>
      registerWithFetch('https://api.timbrix.mx/v1/organizations/5a1f0c8e-2b7d-4e3a-9c6f-1d2e3f4a5b6c/webhooks', {
        headers: { authorization: `Bearer ${key}` },
        body: { url: 'https://example.com/hook', events: ['member.added'] },
      });
    expect((await post('bad')).status).toBe(401);
    expect((await post('good')).status).toBe(201);
  });
});
