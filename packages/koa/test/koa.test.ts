// Koa-specific behaviour beyond the shared table, on Koa 2 and 3: the rest of the app
// keeps @koa/bodyparser, ctx.request.body, errors of later middleware, setup errors.
import { describe, expect, it } from 'vitest';
import Koa2 from 'koa2';
import Koa3 from 'koa3';
import type Koa from 'koa';
import type { Middleware } from 'koa';
import request from 'supertest';
import { bodyParser } from '@koa/bodyparser';
import { createReceiver, webhook } from '@hookproof/koa';
import { sample, SECRET, signedHeaders } from '../../../conformance/signing.js';

const majors: [string, new () => Koa][] = [
  ['koa@2', Koa2],
  ['koa@3', Koa3],
];

const headersOf = (vendor: 'aidelly' | 'timbrix', body: string, secret = SECRET) => ({ 'Content-Type': 'application/json', ...Object.fromEntries(signedHeaders(vendor, body, secret)) });

/** Runs `middleware` only for POST `path`, the way a router would. */
function on<S>(path: string, middleware: Middleware<S>): Middleware<S> {
  return (ctx, next) => (ctx.method === 'POST' && ctx.path === path ? middleware(ctx, next) : next());
}

/** The app's own error handling in front of everything: notes what reached it (`label`) and answers 500. */
function appErrorHandler(seen: string[], label: (error: unknown) => string): Middleware {
  return async (ctx, next) => {
    try {
      await next();
    } catch (error) {
      seen.push(label(error));
      ctx.status = 500;
      ctx.body = { app: 'error handler' };
    }
  };
}

describe.each(majors)('%s', (_name, KoaApp) => {
  it('the rest of the app keeps @koa/bodyparser while the webhook verifies the raw bytes', async () => {
    const app = new KoaApp();
    app.use(bodyParser());
    app.use(on('/hooks', webhook({ vendor: 'timbrix', secret: SECRET })));
    app.use((ctx) => {
      ctx.body = { path: ctx.path, body: (ctx.request as { body?: unknown }).body, type: ctx.state.webhook?.type ?? null };
    });
    const hook = await request(app.callback()).post('/hooks').set(headersOf('timbrix', sample.timbrix.body)).send(sample.timbrix.body);
    expect([hook.status, hook.body]).toEqual([200, { path: '/hooks', body: JSON.parse(sample.timbrix.body), type: 'member.added' }]);
    const api = await request(app.callback()).post('/api').send({ a: 1 });
    expect([api.status, api.body]).toEqual([200, { path: '/api', body: { a: 1 }, type: null }]);
  });

  it('ctx.request.body is the verified payload when webhook() read the body itself', async () => {
    const app = new KoaApp();
    app.use(webhook({ vendor: 'aidelly', secret: SECRET }));
    app.use((ctx) => {
      ctx.body = { body: (ctx.request as { body?: unknown }).body };
    });
    const res = await request(app.callback()).post('/').set(headersOf('aidelly', sample.aidelly.body)).send(sample.aidelly.body);
    expect([res.status, res.body]).toEqual([200, { body: JSON.parse(sample.aidelly.body) }]);
  });

  it('errors of later middleware reach Koa, not turned into webhook failures', async () => {
    const app = new KoaApp();
    const seen: string[] = [];
    app.use(appErrorHandler(seen, (error) => (error as Error).message));
    app.use(webhook({ vendor: 'aidelly', secret: SECRET }));
    app.use(() => {
      throw new Error('handler broke');
    });
    const res = await request(app.callback()).post('/').set(headersOf('aidelly', sample.aidelly.body)).send(sample.aidelly.body);
    expect([res.status, res.body]).toEqual([500, { app: 'error handler' }]);
    expect(seen).toEqual(['handler broke']);
  });

  it('waits for later async middleware: its answer and its rejection both reach the client', async () => {
    const app = new KoaApp();
    const seen: string[] = [];
    app.use(appErrorHandler(seen, (error) => (error as Error).message));
    app.use(webhook({ vendor: 'aidelly', secret: SECRET }));
    app.use(async (ctx) => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      if (ctx.get('x-fail') === 'yes') throw new Error('late failure');
      ctx.body = { late: ctx.state.webhook.type };
    });
    const ok = await request(app.callback()).post('/').set(headersOf('aidelly', sample.aidelly.body)).send(sample.aidelly.body);
    expect([ok.status, ok.body]).toEqual([200, { late: 'post.published' }]);
    const failed = await request(app.callback()).post('/').set({ ...headersOf('aidelly', sample.aidelly.body), 'x-fail': 'yes' }).send(sample.aidelly.body);
    expect([failed.status, failed.body]).toEqual([500, { app: 'error handler' }]);
    expect(seen).toEqual(['late failure']);
  });

  it('an answer Koa cannot set (an onError header with a newline) reaches the app error handling, not a hang', async () => {
    const app = new KoaApp();
    const seen: string[] = [];
    app.use(appErrorHandler(seen, (error) => (error as { code?: string }).code ?? 'no code'));
    app.use(webhook({ vendor: 'aidelly', secret: SECRET, onError: () => ({ headers: { 'x-reason': 'bad\nvalue' } }) }));
    const res = await request(app.callback()).post('/').set(headersOf('aidelly', sample.aidelly.body, 'whsec_guess')).send(sample.aidelly.body);
    expect([res.status, res.body]).toEqual([500, { app: 'error handler' }]);
    expect(seen).toEqual(['ERR_INVALID_CHAR']);
  });

  it('a failed check does not call the next middleware', async () => {
    const app = new KoaApp();
    let reached = false;
    app.use(webhook({ vendor: 'aidelly', secret: SECRET }));
    app.use((ctx) => {
      reached = true;
      ctx.status = 204;
    });
    const res = await request(app.callback()).post('/').set(headersOf('aidelly', sample.aidelly.body, 'whsec_guess')).send(sample.aidelly.body);
    expect([res.status, res.body.error, reached]).toEqual([401, 'signature_mismatch', false]);
  });

  it('a receiver answers itself and never calls next', async () => {
    const app = new KoaApp();
    let reached = false;
    app.use(webhook(createReceiver({ vendor: 'timbrix', secret: SECRET })));
    app.use(() => {
      reached = true;
    });
    const res = await request(app.callback()).post('/').set(headersOf('timbrix', sample.timbrix.body)).send(sample.timbrix.body);
    expect([res.status, res.body, reached]).toEqual([200, { ok: true, id: 'evt_t1', type: 'member.added' }, false]);
  });
});

describe('setup errors are thrown when the middleware is created', () => {
  it.each([
    ['no options', () => webhook(undefined as never), /^@hookproof\/koa: pass options \(\{ vendor, secret \}\) or a receiver/],
    ['no secret', () => webhook({ vendor: 'timbrix' }), /^@hookproof\/koa: `secret` is required/],
    ['a vendor listed twice', () => webhook({ vendor: ['timbrix', 'timbrix'], secret: SECRET }), /^@hookproof\/koa: `vendor` lists "timbrix" twice/],
  ])('%s', (_name, create, message) => {
    expect(create).toThrow(TypeError);
    expect(create).toThrow(message);
  });
});
