// Fastify-specific behaviour beyond the shared table, on Fastify 4 and 5: encapsulation
// (other scopes keep their JSON parser), request.body, several scopes, receivers with and
// without `path`, the body limit against Fastify's bodyLimit, plugin metadata, and
// options validated at register time.
import { describe, expect, it } from 'vitest';
import fastify4 from 'fastify4';
import fastify5 from 'fastify5';
import type { FastifyInstance } from 'fastify';
import hookproof, { createReceiver, hookproof as named } from '@hookproof/fastify';
import { sample, SECRET, signedHeaders } from '../../../conformance/signing.js';
import type { FastifyFactory } from './driver.js';

const majors: [string, FastifyFactory][] = [
  ['fastify@4', fastify4 as unknown as FastifyFactory],
  ['fastify@5', fastify5 as unknown as FastifyFactory],
];

function delivery(vendor: 'aidelly' | 'timbrix', body: string = sample[vendor].body, secret = SECRET) {
  return { method: 'POST' as const, payload: body, headers: { 'content-type': 'application/json', ...Object.fromEntries(signedHeaders(vendor, body, secret)) } };
}

async function using(app: FastifyInstance, fn: () => Promise<void>): Promise<void> {
  try {
    await app.ready();
    await fn();
  } finally {
    await app.close();
  }
}

describe.each(majors)('%s', (_name, Fastify) => {
  it("other scopes keep Fastify's JSON parsing; the webhook scope gets the verified payload as request.body", async () => {
    const app = Fastify();
    app.post('/api/root', async (request) => ({ body: request.body }));
    app.register(async (hooks) => {
      await hooks.register(hookproof, { vendor: 'timbrix', secret: SECRET });
      hooks.post('/hooks', async (request) => ({ body: request.body, isPayload: request.body === request.webhook?.payload }));
    });
    app.register(async (sibling) => {
      sibling.post('/api/sibling', async (request) => ({ body: request.body }));
    });
    await using(app, async () => {
      const hook = await app.inject({ ...delivery('timbrix'), url: '/hooks' });
      expect([hook.statusCode, hook.json()]).toEqual([200, { body: JSON.parse(sample.timbrix.body), isPayload: true }]);
      for (const url of ['/api/root', '/api/sibling']) {
        const res = await app.inject({ method: 'POST', url, payload: { a: 1 } });
        expect([url, res.statusCode, res.json()]).toEqual([url, 200, { body: { a: 1 } }]);
      }
    });
  });

  it('two sibling scopes, two vendors, each with its own plugin registration', async () => {
    const app = Fastify();
    app.register(async (scope) => {
      await scope.register(hookproof, { vendor: 'aidelly', secret: 'whsec_a' });
      scope.post('/hooks/aidelly', async (request) => ({ vendor: request.webhook?.vendor }));
    });
    app.register(async (scope) => {
      await scope.register(hookproof, { vendor: 'timbrix', secret: 'whsec_t' });
      scope.post('/hooks/timbrix', async (request) => ({ vendor: request.webhook?.vendor }));
    });
    await using(app, async () => {
      expect((await app.inject({ ...delivery('aidelly', undefined, 'whsec_a'), url: '/hooks/aidelly' })).json()).toEqual({ vendor: 'aidelly' });
      expect((await app.inject({ ...delivery('timbrix', undefined, 'whsec_t'), url: '/hooks/timbrix' })).json()).toEqual({ vendor: 'timbrix' });
      const crossed = await app.inject({ ...delivery('timbrix', undefined, 'whsec_t'), url: '/hooks/aidelly' });
      expect([crossed.statusCode, crossed.json().error]).toEqual([401, 'missing_signature']);
    });
  });

  it('a receiver without path answers every route of its scope; the route handler never runs', async () => {
    const app = Fastify();
    let routeRan = false;
    app.register(async (hooks) => {
      await hooks.register(hookproof, { receiver: createReceiver({ vendor: 'timbrix', secret: SECRET }) });
      hooks.post('/hooks', async () => {
        routeRan = true;
        return { route: true };
      });
    });
    await using(app, async () => {
      const res = await app.inject({ ...delivery('timbrix'), url: '/hooks' });
      expect([res.statusCode, res.json(), routeRan]).toEqual([200, { ok: true, id: 'evt_t1', type: 'member.added' }, false]);
    });
  });

  it('a receiver with path: an answer that cannot be serialised is answered by Fastify, not left hanging', async () => {
    const app = Fastify();
    const receiver = createReceiver({ vendor: 'aidelly', secret: SECRET });
    app.register(hookproof, { receiver, path: '/hooks', onError: () => ({ body: { n: 1n } }) });
    await using(app, async () => {
      const ok = await app.inject({ ...delivery('aidelly'), url: '/hooks' });
      const forged = await app.inject({ ...delivery('aidelly', sample.aidelly.body, 'whsec_guess'), url: '/hooks' });
      expect(ok.statusCode).toBe(200);
      // Fastify answers its own serialisation failure (with the status already set).
      expect([forged.statusCode, forged.json().message]).toEqual([401, 'Do not know how to serialize a BigInt']);
    });
  });

  it("maxBodyBytes, not Fastify's bodyLimit (1 MiB), bounds the webhook scope", async () => {
    const app = Fastify();
    app.register(async (hooks) => {
      await hooks.register(hookproof, { vendor: 'timbrix', secret: SECRET, maxBodyBytes: 2 * 1024 * 1024 });
      hooks.post('/hooks', async (request) => ({ type: request.webhook?.type }));
    });
    const big = JSON.stringify({ id: 'evt_big', event: 'member.added', data: { blob: 'x'.repeat(1536 * 1024) } });
    await using(app, async () => {
      const res = await app.inject({ ...delivery('timbrix', big), url: '/hooks' });
      expect([res.statusCode, res.json()]).toEqual([200, { type: 'member.added' }]);
    });
  });

  it("webhook failures do not go through the app's error handler", async () => {
    const app = Fastify();
    let errorHandlerRan = false;
    app.setErrorHandler((_error, _request, reply) => {
      errorHandlerRan = true;
      return reply.code(500).send({ app: 'error handler' });
    });
    app.register(async (hooks) => {
      await hooks.register(hookproof, { vendor: 'aidelly', secret: SECRET, maxBodyBytes: 100 });
      hooks.post('/hooks', async () => ({}));
    });
    await using(app, async () => {
      const forged = await app.inject({ ...delivery('aidelly', '{}', 'whsec_guess'), url: '/hooks' });
      const tooLarge = await app.inject({ ...delivery('aidelly'), url: '/hooks' });
      expect([forged.statusCode, forged.json().error, tooLarge.statusCode, tooLarge.json().error]).toEqual([401, 'signature_mismatch', 413, 'payload_too_large']);
      expect(errorHandlerRan).toBe(false);
    });
  });

  it.each([
    ['no secret', { vendor: 'timbrix' }, /^@hookproof\/fastify: `secret` is required/],
    ['path without a receiver', { vendor: 'timbrix', secret: SECRET, path: '/hooks' }, /^@hookproof\/fastify: `path` is for receivers/],
    ['receiver options next to a receiver', { receiver: createReceiver({ vendor: 'timbrix', secret: SECRET }), secret: SECRET }, /^@hookproof\/fastify: with a receiver, put `secret` in createReceiver/],
    ['a path that is not a route', { receiver: createReceiver({ vendor: 'timbrix', secret: SECRET }), path: 'hooks' }, /^@hookproof\/fastify: `path` must be a route path starting with '\/'/],
  ])('register fails on %s, naming the fix', async (_label, options, message) => {
    const app = Fastify();
    app.register(hookproof, options as never);
    await expect(app.ready()).rejects.toThrow(message);
    await app.close();
  });
});

describe('the plugin', () => {
  it('is exported as default and as hookproof, with fastify-plugin metadata', () => {
    expect(named).toBe(hookproof);
    const meta = (hookproof as unknown as Record<symbol, unknown>)[Symbol.for('plugin-meta')];
    expect(meta).toMatchObject({ name: '@hookproof/fastify', fastify: '4.x || 5.x' });
  });
});
