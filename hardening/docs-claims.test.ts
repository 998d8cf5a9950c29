// What docs/security.md and the framework guides say about two behaviours that stay
// (issue 15, item 17), checked so the text cannot drift from the code:
// - a number in `trustProxy` trusts any direct peer's X-Forwarded-For; a list of proxy
//   addresses believes it only from those proxies;
// - behind a global JSON parser, `req.body` is the parser's object and keeps a `__proto__`
//   own key, while `req.webhook.payload` has it removed.
import { createHmac } from 'node:crypto';
import express from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createReceiver } from '@hookproof/core';
import { keepRawBody, webhook } from '@hookproof/express';

const SECRET = 'whsec_docs-claims';
const sign = (body: string) => `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`;

describe('trustProxy (docs/security.md, "IP allowlists behind proxies")', () => {
  const body = JSON.stringify({ event: 'post.published', workspace_id: 'w', brand_id: 'b', data: { post_id: 'p1' }, created_at: '2026-01-01T00:00:00Z' });
  const headers = { 'aidelly-signature': sign(body), 'x-forwarded-for': '203.0.113.9' };
  const allowIps = ['203.0.113.0/24'];
  const direct = '198.51.100.7'; // a client that reaches the app without the proxy

  it('a number of hops believes X-Forwarded-For from any direct peer: a direct client writes it and passes allowIps', async () => {
    const receiver = createReceiver({ vendor: 'aidelly', secret: SECRET, allowIps, trustProxy: 1 });
    expect((await receiver.receive({ body, headers, remoteAddress: direct })).status).toBe(200);
  });

  it('a list of proxy addresses believes it only from them: the direct client is judged by its own address', async () => {
    const receiver = createReceiver({ vendor: 'aidelly', secret: SECRET, allowIps, trustProxy: ['10.0.0.0/8'] });
    const fromClient = await receiver.receive({ body, headers, remoteAddress: direct });
    expect([fromClient.status, fromClient.body]).toMatchObject([403, { error: 'forbidden_ip' }]);
    expect((await receiver.receive({ body, headers, remoteAddress: '10.1.2.3' })).status).toBe(200);
  });
});

describe('read req.webhook.payload, not a global parser\'s req.body (docs/security.md, "Bodies: size and shape")', () => {
  it('express.json() keeps a __proto__ own key on req.body; req.webhook.payload has it removed', async () => {
    const body = '{"event":"post.published","workspace_id":"w","brand_id":"b","data":{"post_id":"p1","__proto__":{"isAdmin":true}},"created_at":"2026-01-01T00:00:00Z"}';
    const seen: { bodyKeeps?: boolean; payloadKeeps?: boolean } = {};
    const app = express();
    app.use(express.json({ verify: keepRawBody }));
    app.post('/hooks', webhook({ vendor: 'aidelly', secret: SECRET }), (req, res) => {
      const own = (value: unknown) => Object.prototype.hasOwnProperty.call((value as { data: object }).data, '__proto__');
      seen.bodyKeeps = own(req.body);
      seen.payloadKeeps = own(req.webhook?.payload);
      res.sendStatus(204);
    });
    const res = await request(app).post('/hooks').set('content-type', 'application/json').set('aidelly-signature', sign(body)).send(body);
    expect(res.status).toBe(204);
    expect(seen).toEqual({ bodyKeeps: true, payloadKeeps: false });
  });
});
