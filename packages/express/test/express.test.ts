// Express-specific behaviour beyond the shared table, on Express 4 and 5: routers, the
// rest of the app keeping its JSON parser, req.body, parsers that keep the bytes, the
// app's own error handling, and setup errors thrown at mount time.
import { describe, expect, it } from 'vitest';
import express4 from 'express4';
import express5 from 'express5';
import request from 'supertest';
import { createReceiver, keepRawBody, webhook } from '@hookproof/express';
import { sample, SECRET, signedHeaders } from '../../../conformance/signing.js';
import type { ExpressModule } from './driver.js';

type AnyHandler = (...args: never[]) => unknown;
interface App {
  use(...handlers: unknown[]): App;
  post(path: string, ...handlers: unknown[]): App;
}
interface Res {
  status(code: number): Res;
  json(body: unknown): void;
}
interface Req {
  body: unknown;
  webhook?: { type: unknown; vendor: string };
}

const majors: [string, ExpressModule & { Router(): App; raw(o?: object): AnyHandler; text(o?: object): AnyHandler }][] = [
  ['express@4', express4 as never],
  ['express@5', express5 as never],
];

const headersOf = (vendor: 'aidelly' | 'timbrix', body: string | Buffer, secret = SECRET) => ({ 'Content-Type': 'application/json', ...Object.fromEntries(signedHeaders(vendor, body, secret)) });

describe.each(majors)('%s', (_name, express) => {
  const newApp = () => express() as unknown as App & Parameters<typeof request>[0];

  it('works on a Router mounted under a prefix', async () => {
    const app = newApp();
    const router = express.Router();
    router.post('/aidelly', webhook({ vendor: 'aidelly', secret: SECRET }), (req: Req, res: Res) => res.json({ type: req.webhook?.type }));
    app.use('/hooks', router);
    const res = await request(app).post('/hooks/aidelly').set(headersOf('aidelly', sample.aidelly.body)).send(sample.aidelly.body);
    expect([res.status, res.body]).toEqual([200, { type: 'post.published' }]);
  });

  it('routes after the webhook keep express.json(); req.body on the webhook route is the verified payload', async () => {
    const app = newApp();
    app.post('/hooks', webhook({ vendor: 'timbrix', secret: SECRET }), (req: Req, res: Res) => res.json({ body: req.body }));
    app.use(express.json());
    app.post('/api/echo', (req: Req, res: Res) => res.json({ body: req.body }));
    const hook = await request(app).post('/hooks').set(headersOf('timbrix', sample.timbrix.body)).send(sample.timbrix.body);
    expect([hook.status, hook.body]).toEqual([200, { body: JSON.parse(sample.timbrix.body) }]);
    const api = await request(app).post('/api/echo').send({ a: 1 });
    expect([api.status, api.body]).toEqual([200, { body: { a: 1 } }]);
  });

  it('express.raw() ran first: its Buffer is the exact bytes, so the delivery verifies', async () => {
    const app = newApp();
    app.use(express.raw({ type: '*/*' }));
    app.post('/hooks', webhook({ vendor: 'aidelly', secret: SECRET }), (req: Req, res: Res) => res.json({ type: req.webhook?.type }));
    const res = await request(app).post('/hooks').set(headersOf('aidelly', sample.aidelly.body)).send(sample.aidelly.body);
    expect([res.status, res.body]).toEqual([200, { type: 'post.published' }]);
  });

  it('a kept raw body as a string (a custom parser) verifies too', async () => {
    const app = newApp();
    app.use(express.text({ type: '*/*' }));
    app.use((req: Req & { rawBody?: string }, _res: unknown, next: () => void) => {
      req.rawBody = req.body as string;
      req.body = JSON.parse(req.body as string);
      next();
    });
    app.post('/hooks', webhook({ vendor: 'timbrix', secret: SECRET }), (req: Req, res: Res) => res.json({ type: req.webhook?.type }));
    const res = await request(app).post('/hooks').set(headersOf('timbrix', sample.timbrix.body)).send(sample.timbrix.body);
    expect([res.status, res.body]).toEqual([200, { type: 'member.added' }]);
  });

  it('body_not_raw names both fixes in its message', async () => {
    const app = newApp();
    app.use(express.json());
    app.post('/hooks', webhook({ vendor: 'aidelly', secret: SECRET }), (_req: Req, res: Res) => res.json({}));
    const res = await request(app).post('/hooks').set(headersOf('aidelly', sample.aidelly.body)).send(sample.aidelly.body);
    expect(res.status).toBe(500);
    expect(res.body.error).toBe('body_not_raw');
    expect(res.body.message).toContain('Mount webhook() before express.json()');
    expect(res.body.message).toContain('express.json({ verify: keepRawBody })');
  });

  it("the app's handler errors go to the app's error handler, once", async () => {
    const app = newApp();
    const seen: string[] = [];
    app.post('/hooks', webhook({ vendor: 'aidelly', secret: SECRET }), () => {
      throw new Error('handler broke');
    });
    app.use((error: Error, _req: unknown, res: Res, _next: unknown) => {
      seen.push(error.message);
      res.status(500).json({ app: 'error handler' });
    });
    const res = await request(app).post('/hooks').set(headersOf('aidelly', sample.aidelly.body)).send(sample.aidelly.body);
    expect([res.status, res.body]).toEqual([500, { app: 'error handler' }]);
    expect(seen).toEqual(['handler broke']);
  });

  it('an answer that cannot be sent (onError body JSON cannot hold) reaches the app error handler, not an unhandled rejection', async () => {
    const app = newApp();
    const seen: string[] = [];
    app.post('/hooks', webhook({ vendor: 'aidelly', secret: SECRET, onError: () => ({ body: { n: 1n } }) }));
    app.use((error: Error, _req: unknown, res: Res, _next: unknown) => {
      seen.push(error.constructor.name);
      res.status(500).json({ app: 'error handler' });
    });
    const res = await request(app).post('/hooks').set(headersOf('aidelly', sample.aidelly.body)).set('aidelly-signature', 'sha256=00').send(sample.aidelly.body);
    expect([res.status, res.body]).toEqual([500, { app: 'error handler' }]);
    expect(seen).toEqual(['TypeError']);
  });

  it('keepRawBody works with express.json() for every content type it parses', async () => {
    const app = newApp();
    app.use(express.json({ verify: keepRawBody, type: ['application/json', 'text/plain'] }));
    app.post('/hooks', webhook({ vendor: 'aidelly', secret: SECRET }), (req: Req, res: Res) => res.json({ body: req.body }));
    const res = await request(app).post('/hooks').set({ ...headersOf('aidelly', sample.aidelly.body), 'Content-Type': 'text/plain' }).send(sample.aidelly.body);
    expect([res.status, res.body]).toEqual([200, { body: JSON.parse(sample.aidelly.body) }]);
  });

  it('a receiver is mounted the same way and answers itself', async () => {
    const receiver = createReceiver({ vendor: 'timbrix', secret: SECRET });
    const app = newApp();
    app.post('/hooks', webhook(receiver));
    const res = await request(app).post('/hooks').set(headersOf('timbrix', sample.timbrix.body)).send(sample.timbrix.body);
    expect([res.status, res.body]).toEqual([200, { ok: true, id: 'evt_t1', type: 'member.added' }]);
  });
});

describe('setup errors are thrown at mount time', () => {
  it.each([
    ['no options', () => webhook(undefined as never), /^@hookproof\/express: pass options \(\{ vendor, secret \}\) or a receiver/],
    ['no secret', () => webhook({ vendor: 'timbrix' }), /^@hookproof\/express: `secret` is required/],
    ['a receiver with a bad onError', () => webhook(createReceiver({ vendor: 'timbrix', secret: SECRET }), { onError: 1 as never }), /^@hookproof\/express: `onError` must be a function/],
  ])('%s', (_name, mount, message) => {
    expect(mount).toThrow(TypeError);
    expect(mount).toThrow(message);
  });
});
