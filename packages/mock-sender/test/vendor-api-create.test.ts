import { describe, expect, it } from 'vitest';
import { createMockSender } from '@hookproof/mock-sender';
import { hmacHex, startServer } from './helpers.js';
import { callApi, closeAfterEach, track } from './vendor-api-fetch.js';

// What each vendor's create-webhook call refuses, driven through global fetch as an app would.
closeAfterEach();

const AUTOPOSTING = 'https://app.autoposting.ai/api-proxy/webhooks';
const AIDELLY = 'https://api.aidelly.ai/v1/webhooks';
const ORG = '5a1f0c8e-2b7d-4e3a-9c6f-1d2e3f4a5b6c';
const TIMBRIX = `https://api.timbrix.mx/v1/organizations/${ORG}/webhooks`;
const BEARER = { authorization: 'Bearer sk-test-key' };
const WORKSPACE = '0b7e0a4e-3f55-4c1e-9a1b-6a0d2c1f9e21';
const aidellyHeaders = (key: string, workspace = WORKSPACE) => ({ ...BEARER, 'idempotency-key': key, 'x-aidelly-workspace-id': workspace });

/** The Autoposting API reference's `WebhookEventType` enum, copied here by hand (without "*"). */
const AUTOPOSTING_API_ENUM = ['post.published', 'post.failed', 'post.scheduled', 'clip.render.completed', 'clip.render.failed', 'agent.run.completed', 'agent.run.failed'];

describe('events: "*" only where the vendor documents it', () => {
  it('Timbrix refuses ["*"] with a 400 that says it has no wildcard; nothing is registered or delivered', async () => {
    const sender = track(createMockSender({ vendor: 'timbrix' }));
    const app = track(await startServer(() => ({ status: 200 })));
    const api = sender.mockVendorApi();
    const r = await callApi('POST', TIMBRIX, { headers: BEARER, body: { url: app.url, events: ['*'] } });
    expect(r.status).toBe(400);
    expect(r.body).toEqual({ error: 'invalid_events', message: expect.stringContaining('Timbrix documents no "*" wildcard') });
    expect(r.body!['message']).toContain('member.added');
    expect(api.subscriptions).toEqual([]);
    expect(await sender.emit('member.added')).toEqual([]);
    expect(app.requests).toHaveLength(0);
  });

  it('Aidelly refuses ["*"] and ["post.published", "*"] alike', async () => {
    const sender = track(createMockSender({ vendor: 'aidelly', secret: 'whsec_d' }));
    const api = sender.mockVendorApi();
    for (const [i, events] of [['*'], ['post.published', '*']].entries()) {
      const r = await callApi('POST', AIDELLY, { headers: aidellyHeaders(`k${i}`), body: { url: 'https://example.com/hook', events } });
      expect(r.status).toBe(400);
      expect(r.body).toEqual({ error: 'invalid_events', message: expect.stringContaining('Aidelly documents no "*" wildcard') });
    }
    expect(api.subscriptions).toEqual([]);
  });

  it('Autoposting accepts ["*"], which receives every event it emits, the concept page events included', async () => {
    const sender = track(createMockSender({ vendor: 'autoposting' }));
    const all = track(await startServer(() => ({ status: 200 })));
    const listed = track(await startServer(() => ({ status: 200 })));
    sender.mockVendorApi();
    expect((await callApi('POST', AUTOPOSTING, { headers: BEARER, body: { url: all.url, events: ['*'], secret: 'whsec_all' } })).status).toBe(200);
    expect((await callApi('POST', AUTOPOSTING, { headers: BEARER, body: { url: listed.url, events: AUTOPOSTING_API_ENUM } })).status).toBe(200);
    // The concept page's extra names go through emitUndocumented where the profile does not type them.
    const emitAny = (type: string) => (sender.profile.events.includes(type) ? sender.emit(type as 'post.published') : sender.emitUndocumented(type));
    const sent = ['post.published', 'agent.run.failed', 'post.partial', 'post.cancelled', 'token.expired'];
    for (const type of sent) await emitAny(type);
    const types = (reqs: typeof all.requests) => reqs.map((r) => (JSON.parse(r.body.toString()) as { event: string }).event);
    expect(types(all.requests)).toEqual(sent);
    // Naming every enum value is not "*": the concept page's events need the wildcard.
    expect(types(listed.requests)).toEqual(['post.published', 'agent.run.failed']);
    const rec = all.requests[4]!;
    const ts = rec.headers['x-autoposting-timestamp'] as string;
    expect(rec.headers['x-autoposting-signature']).toBe(hmacHex('whsec_all', Buffer.concat([Buffer.from(`${ts}.`), rec.body])));
  });

  it('emitUndocumented refuses a documented name and needs mockVendorApi() first', async () => {
    const sender = track(createMockSender({ vendor: 'autoposting' }));
    await expect(sender.emitUndocumented('post.partial')).rejects.toThrow(/emitUndocumented\(\) delivers to webhooks registered through mockVendorApi/);
    sender.mockVendorApi();
    await expect(sender.emitUndocumented('post.published')).rejects.toThrow(new TypeError('@hookproof/mock-sender: "post.published" is documented: use sender.emit("post.published") for a typed payload.'));
    expect(await sender.emitUndocumented('post.partial')).toEqual([]);
  });
});

describe("Autoposting validates events against its API's WebhookEventType enum", () => {
  it('refuses post.partial, post.cancelled and token.expired (concept page only) with a 400 listing the enum', async () => {
    const sender = track(createMockSender({ vendor: 'autoposting' }));
    const api = sender.mockVendorApi();
    for (const name of ['post.partial', 'post.cancelled', 'token.expired']) {
      const r = await callApi('POST', AUTOPOSTING, { headers: BEARER, body: { url: 'https://example.com/hook', events: ['post.published', name] } });
      expect(r.status).toBe(400);
      expect(r.body).toEqual({ success: false, error: 'invalid_events', message: `\`events\` must be a non-empty list of: ${[...AUTOPOSTING_API_ENUM, '*'].join(', ')}.` });
    }
    expect(api.subscriptions).toEqual([]);
  });
});

describe('Timbrix create: HTTPS, events, role', () => {
  it('refuses a plain-http URL, a missing or empty `events`, and event names it does not list', async () => {
    const sender = track(createMockSender({ vendor: 'timbrix' }));
    const api = sender.mockVendorApi();
    const cases: [unknown, string][] = [
      [{ url: 'http://example.com/hook', events: ['member.added'] }, 'invalid_url'],
      [{ url: 'https://example.com/hook' }, 'invalid_events'],
      [{ url: 'https://example.com/hook', events: [] }, 'invalid_events'],
      [{ url: 'https://example.com/hook', events: 'member.added' }, 'invalid_events'],
      [{ url: 'https://example.com/hook', events: ['member.added', 'post.published'] }, 'invalid_events'],
      [{ url: 'https://example.com/hook', events: ['Member.Added'] }, 'invalid_events'],
    ];
    for (const [body, code] of cases) {
      const r = await callApi('POST', TIMBRIX, { headers: BEARER, body });
      expect({ body, status: r.status, error: r.body!['error'] }).toEqual({ body, status: 400, error: code });
    }
    expect(api.subscriptions).toEqual([]);
    expect((await callApi('POST', TIMBRIX, { headers: BEARER, body: { url: 'https://example.com/hook', events: ['member.added'] } })).status).toBe(201);
  });

  it("mockVendorApi({ role }): anything but OWNER or ADMIN (any case) gets Timbrix's documented 403", async () => {
    for (const role of ['MEMBER', 'viewer', 'owners', 'billing']) {
      const sender = createMockSender({ vendor: 'timbrix' });
      const api = sender.mockVendorApi({ role });
      try {
        const r = await callApi('POST', TIMBRIX, { headers: BEARER, body: { url: 'https://example.com/hook', events: ['member.added'] } });
        expect({ role, ...r }).toEqual({ role, status: 403, body: { error: 'forbidden', message: 'Only owners and admins can create webhooks.' } });
        expect(api.subscriptions).toEqual([]);
        // Authentication comes first: no key is still a 401.
        expect((await callApi('POST', TIMBRIX, { body: { url: 'https://example.com/hook', events: ['member.added'] } })).status).toBe(401);
      } finally {
        await sender.close();
      }
    }
    for (const role of ['OWNER', 'admin', 'Owner', undefined]) {
      const sender = createMockSender({ vendor: 'timbrix' });
      sender.mockVendorApi(role === undefined ? {} : { role });
      try {
        const r = await callApi('POST', TIMBRIX, { headers: BEARER, body: { url: 'https://example.com/hook', events: ['member.added'] } });
        expect({ role, status: r.status }).toEqual({ role, status: 201 });
      } finally {
        await sender.close();
      }
    }
  });

  it('role is a setup error where no role check is documented, or when empty', () => {
    const aidelly = createMockSender({ vendor: 'aidelly', secret: 's' });
    expect(() => aidelly.mockVendorApi({ role: 'MEMBER' })).toThrow(new TypeError("@hookproof/mock-sender: Aidelly documents no role check for creating webhooks: remove `role` from mockVendorApi()."));
    expect(() => createMockSender({ vendor: 'timbrix' }).mockVendorApi({ role: ' ' })).toThrow(TypeError);
  });
});

describe('Aidelly create: its own 401, and fields the guide is silent on', () => {
  it('answers 401 { error, message } (no Autoposting-style `success`) without a Bearer key; x-api-key is not an Aidelly scheme', async () => {
    const sender = track(createMockSender({ vendor: 'aidelly', secret: 'whsec_d' }));
    const api = sender.mockVendorApi();
    const body = { url: 'https://example.com/hook', events: ['post.published'] };
    const noKey = await callApi('POST', AIDELLY, { headers: { 'idempotency-key': 'a', 'x-aidelly-workspace-id': WORKSPACE }, body });
    expect(noKey).toEqual({ status: 401, body: { error: 'unauthorized', message: 'Missing or invalid API key' } });
    const apiKeyHeader = await callApi('POST', AIDELLY, { headers: { 'x-api-key': 'sk-test-key', 'idempotency-key': 'b', 'x-aidelly-workspace-id': WORKSPACE }, body });
    expect(apiKeyHeader.status).toBe(401);
    expect(api.subscriptions).toEqual([]);
  });

  it('does not refuse a `headers` field (the guide neither documents nor forbids custom delivery headers)', async () => {
    const sender = track(createMockSender({ vendor: 'aidelly', secret: 'whsec_d' }));
    const api = sender.mockVendorApi();
    const r = await callApi('POST', AIDELLY, {
      headers: aidellyHeaders('with-headers'),
      body: { url: 'https://example.com/hook', events: ['post.failed'], headers: { Authorization: 'Bearer app-token' } },
    });
    expect(r.status).toBe(201);
    expect(api.subscriptions).toHaveLength(1);
  });
});

describe('Idempotency-Key reused with a different request', () => {
  it('is refused with 422 (not answered with the first response); the same request in any key order replays', async () => {
    const sender = track(createMockSender({ vendor: 'aidelly', secret: 'whsec_d' }));
    const api = sender.mockVendorApi();
    const first = await callApi('POST', AIDELLY, { headers: aidellyHeaders('key-1'), body: { url: 'https://example.com/a', events: ['post.published'] } });
    expect(first.status).toBe(201);
    const conflict = { status: 422, body: { error: 'idempotency_key_reused', message: 'This Idempotency-Key was already used with a different request; send a new key for a new request.' } };
    // Different body.
    expect(await callApi('POST', AIDELLY, { headers: aidellyHeaders('key-1'), body: { url: 'https://example.com/b', events: ['post.published'] } })).toEqual(conflict);
    // Same body, another workspace.
    expect(await callApi('POST', AIDELLY, { headers: aidellyHeaders('key-1', '11111111-2222-4333-8444-555555555555'), body: { url: 'https://example.com/a', events: ['post.published'] } })).toEqual(conflict);
    // Same request, keys in another order: the first answer again.
    expect(await callApi('POST', AIDELLY, { headers: aidellyHeaders('key-1'), body: '{"events":["post.published"],"url":"https://example.com/a"}' })).toEqual(first);
    expect(api.subscriptions.map((s) => s.url)).toEqual(['https://example.com/a']);
    // The key is per API key: another key may use the same Idempotency-Key.
    const other = await callApi('POST', AIDELLY, { headers: { ...aidellyHeaders('key-1'), authorization: 'Bearer sk-other' }, body: { url: 'https://example.com/b', events: ['post.published'] } });
    expect(other.status).toBe(201);
  });
});

describe('"Must be publicly accessible": private and link-local URLs are refused, loopback is not', () => {
  const refused = [
    'https://10.0.0.5/hook',
    'https://10.1/hook', // 10.0.0.1 in short form
    'https://172.16.0.1/hook',
    'https://172.31.255.254/hook',
    'https://192.168.1.20:8443/hook',
    'https://169.254.169.254/latest/meta-data',
    'https://100.64.0.1/hook',
    'https://0.0.0.0/hook',
    'https://[fc00::1]/hook',
    'https://[fd12:3456::1]/hook',
    'https://[fe80::1]/hook',
    'https://[febf::1]/hook',
    'https://[::ffff:192.168.0.1]/hook',
  ];

  it('Autoposting: 400 invalid_url naming the address; nothing registered', async () => {
    const sender = track(createMockSender({ vendor: 'autoposting' }));
    const api = sender.mockVendorApi();
    for (const url of refused) {
      const r = await callApi('POST', AUTOPOSTING, { headers: BEARER, body: { url, events: ['*'] } });
      expect({ url, status: r.status, body: r.body }).toEqual({ url, status: 400, body: { success: false, error: 'invalid_url', message: expect.stringMatching(/^`url` must be publicly accessible: \S+ is a private, link-local or reserved address\.$/) } });
    }
    expect(api.subscriptions).toEqual([]);
  });

  it('public addresses just outside those ranges, names, and loopback (http too) are accepted', async () => {
    const sender = track(createMockSender({ vendor: 'timbrix' }));
    const app = track(await startServer(() => ({ status: 200 })));
    const api = sender.mockVendorApi();
    const port = new URL(app.url).port;
    const accepted = [
      'https://172.32.0.1/hook',
      'https://172.15.255.255/hook',
      'https://192.169.0.1/hook',
      'https://8.8.8.8/hook',
      'https://[2001:db8::1]/hook',
      'https://hooks.example.com/hook',
      app.url,
      `http://localhost:${port}/`,
      `http://[::1]:${port}/`,
      'https://127.0.0.2/hook',
    ];
    for (const url of accepted) {
      const r = await callApi('POST', TIMBRIX, { headers: BEARER, body: { url, events: ['member.added'] } });
      expect({ url, status: r.status }).toEqual({ url, status: 201 });
    }
    expect(api.subscriptions).toHaveLength(accepted.length);
    // Timbrix refuses the same private addresses.
    const r = await callApi('POST', TIMBRIX, { headers: BEARER, body: { url: 'https://192.168.0.10/hook', events: ['member.added'] } });
    expect(r).toEqual({ status: 400, body: { error: 'invalid_url', message: '`url` must be publicly accessible: 192.168.0.10 is a private, link-local or reserved address.' } });
    // Plain http to a private address is refused as not HTTPS.
    expect((await callApi('POST', TIMBRIX, { headers: BEARER, body: { url: 'http://10.0.0.1/hook', events: ['member.added'] } })).body!['error']).toBe('invalid_url');
  });
});
