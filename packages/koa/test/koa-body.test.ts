// koa-body, the most used Koa body parser, mounted before webhook(): with `includeUnparsed`
// it keeps the text it parsed (koa-body 6 under `Symbol.for('unparsedBody')` on the parsed
// body, koa-body 7+ as `ctx.request.rawBody`), and webhook() verifies that text; without
// it nothing is left to verify and the answer names the option. On Koa 2 and 3, with the
// real koa-body 6 and 8. Signatures come from node:crypto (conformance/signing.ts).
import { describe, expect, it } from 'vitest';
import Koa2 from 'koa2';
import Koa3 from 'koa3';
import type Koa from 'koa';
import type { Middleware } from 'koa';
import request from 'supertest';
import { koaBody as koaBody8 } from 'koa-body';
import { koaBody as koaBody6 } from 'koa-body6';
import { webhook } from '@hookproof/koa';
import { sample, SECRET, signedHeaders } from '../../../conformance/signing.js';

const majors: [string, new () => Koa][] = [
  ['koa@2', Koa2],
  ['koa@3', Koa3],
];
const parsers: [string, (options: { includeUnparsed?: boolean }) => Middleware][] = [
  ['koa-body@6', (options) => koaBody6(options) as unknown as Middleware],
  ['koa-body@8', (options) => koaBody8(options) as unknown as Middleware],
];

// Multibyte text: the kept string must re-encode to the bytes that were signed.
const body = JSON.stringify({ id: 'evt_kb1', event: 'member.added', timestamp: '2026-01-01T00:00:00Z', data: { memberId: 'm1', note: 'café ✓ 日本' } });
const headers = (raw: string, secret = SECRET) => ({ 'Content-Type': 'application/json', ...Object.fromEntries(signedHeaders('timbrix', raw, secret)) });

function appWith(KoaApp: new () => Koa, parser: Middleware): Koa {
  const app = new KoaApp();
  app.use(parser);
  app.use(webhook({ vendor: 'timbrix', secret: SECRET }));
  app.use((ctx) => {
    ctx.body = { type: ctx.state.webhook?.type ?? null, body: (ctx.request as { body?: unknown }).body };
  });
  return app;
}

describe.each(majors)('%s', (_major, KoaApp) => {
  describe.each(parsers)('%s', (_parser, koaBody) => {
    it('koaBody({ includeUnparsed: true }) first: a signed delivery is verified on the kept text, and the parsed body stays', async () => {
      const app = appWith(KoaApp, koaBody({ includeUnparsed: true }));
      const res = await request(app.callback()).post('/hooks').set(headers(body)).send(body);
      expect([res.status, res.body]).toEqual([200, { type: 'member.added', body: JSON.parse(body) }]);
      const documented = await request(app.callback()).post('/hooks').set(headers(sample.timbrix.body)).send(sample.timbrix.body);
      expect([documented.status, documented.body.type]).toEqual([200, 'member.added']);
    });

    it('koaBody({ includeUnparsed: true }) first: a tampered body or a wrong secret is still 401', async () => {
      const app = appWith(KoaApp, koaBody({ includeUnparsed: true }));
      const tampered = body.replace('m1', 'm2');
      const forged = await request(app.callback()).post('/hooks').set(headers(body)).send(tampered);
      expect([forged.status, forged.body.error]).toEqual([401, 'signature_mismatch']);
      const wrong = await request(app.callback()).post('/hooks').set(headers(body, 'not-the-secret')).send(body);
      expect([wrong.status, wrong.body.error]).toEqual([401, 'signature_mismatch']);
    });

    it('koaBody() without includeUnparsed: 500 body_not_raw, and the message names includeUnparsed', async () => {
      const app = appWith(KoaApp, koaBody({}));
      const res = await request(app.callback()).post('/hooks').set(headers(body)).send(body);
      expect([res.status, res.body.error]).toEqual([500, 'body_not_raw']);
      expect(res.body.message).toContain('koaBody({ includeUnparsed: true })');
    });
  });
});
