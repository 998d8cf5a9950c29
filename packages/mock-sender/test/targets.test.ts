import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import express from 'express';
import Koa from 'koa';
import Fastify from 'fastify';
import { verify } from '@hookproof/core';
import { createMockSender, type MockSender, type Target } from '@hookproof/mock-sender';
import { hmacHex } from './helpers.js';

const SECRET = 'whsec_targets';
const senders: MockSender<'aidelly'>[] = [];
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const s of senders.splice(0)) await s.close();
  for (const c of cleanups.splice(0)) await c();
});

interface Seen {
  path: string;
  body: Buffer;
  signature: string | undefined;
}

function sender(target: Target, path = '/hooks') {
  const s = createMockSender({ vendor: 'aidelly', secret: SECRET, target, path, seed: 3 });
  senders.push(s);
  return s;
}

async function expectExactDelivery(s: MockSender<'aidelly'>, seen: Seen[]) {
  const event = s.event('post.published');
  const result = await s.send(event);
  expect(result).toMatchObject({ ok: true, status: 200, outcome: 'success' });
  expect(seen).toHaveLength(1);
  expect(seen[0]!.path).toBe('/hooks');
  // The bytes that arrive are the bytes that were signed.
  expect(seen[0]!.body.equals(Buffer.from(event.bytes))).toBe(true);
  expect(seen[0]!.signature).toBe(`sha256=${hmacHex(SECRET, seen[0]!.body)}`);
  const verdict = await verify({ vendor: 'aidelly', secret: SECRET, body: seen[0]!.body, headers: { 'aidelly-signature': seen[0]!.signature } });
  expect(verdict.ok).toBe(true);
}

function readAll(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
  });
}

describe('targets: one transport per kind, the same bytes arrive', () => {
  it('a URL string', async () => {
    const seen: Seen[] = [];
    const server = http.createServer(async (req, res) => {
      seen.push({ path: req.url!, body: await readAll(req), signature: req.headers['aidelly-signature'] as string });
      res.end('{}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
    const { port } = server.address() as { port: number };
    await expectExactDelivery(sender(`http://127.0.0.1:${port}/hooks`), seen);
  });

  it('an http.Server that is not listening: started on 127.0.0.1 and closed by the sender', async () => {
    const seen: Seen[] = [];
    const server = http.createServer(async (req, res) => {
      seen.push({ path: req.url!, body: await readAll(req), signature: req.headers['aidelly-signature'] as string });
      res.end('{}');
    });
    const s = sender(server);
    await expectExactDelivery(s, seen);
    expect((server.address() as { address: string }).address).toBe('127.0.0.1');
    await s.close();
    expect(server.listening).toBe(false);
  });

  it('an http.Server already listening is used at its address and left open', async () => {
    const seen: Seen[] = [];
    const server = http.createServer(async (req, res) => {
      seen.push({ path: req.url!, body: await readAll(req), signature: req.headers['aidelly-signature'] as string });
      res.end('{}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
    const s = sender(server);
    await expectExactDelivery(s, seen);
    await s.close();
    expect(server.listening).toBe(true);
  });

  it('an Express app (raw body route)', async () => {
    const seen: Seen[] = [];
    const app = express();
    app.post('/hooks', express.raw({ type: '*/*' }), (req, res) => {
      seen.push({ path: req.path, body: req.body as Buffer, signature: req.get('aidelly-signature') });
      res.json({ ok: true });
    });
    await expectExactDelivery(sender(app), seen);
  });

  it('a Koa app', async () => {
    const seen: Seen[] = [];
    const app = new Koa();
    app.use(async (ctx) => {
      seen.push({ path: ctx.path, body: await readAll(ctx.req), signature: ctx.get('aidelly-signature') });
      ctx.body = { ok: true };
    });
    await expectExactDelivery(sender(app), seen);
  });

  it('a Fastify instance, through inject (no socket)', async () => {
    const seen: Seen[] = [];
    const app = Fastify();
    app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
    app.post('/hooks', async (req) => {
      seen.push({ path: req.url, body: req.body as Buffer, signature: req.headers['aidelly-signature'] as string });
      return { ok: true };
    });
    cleanups.push(() => app.close());
    await expectExactDelivery(sender(app), seen);
    expect(app.server.listening).toBe(false);
  });

  it('a Fetch handler, in-process', async () => {
    const seen: Seen[] = [];
    const handler = async (request: Request) => {
      seen.push({ path: new URL(request.url).pathname, body: Buffer.from(await request.arrayBuffer()), signature: request.headers.get('aidelly-signature') ?? undefined });
      return Response.json({ ok: true });
    };
    await expectExactDelivery(sender(handler), seen);
  });

  it('an object with fetch (a Hono app) and { listener }', async () => {
    const seen: Seen[] = [];
    const app = {
      fetch: async (request: Request) => {
        seen.push({ path: new URL(request.url).pathname, body: Buffer.from(await request.arrayBuffer()), signature: request.headers.get('aidelly-signature') ?? undefined });
        return new Response(null, { status: 200 });
      },
    };
    await expectExactDelivery(sender(app), seen);
    const seen2: Seen[] = [];
    const listener = async (req: http.IncomingMessage, res: http.ServerResponse) => {
      seen2.push({ path: req.url!, body: await readAll(req), signature: req.headers['aidelly-signature'] as string });
      res.end();
    };
    await expectExactDelivery(sender({ listener }), seen2);
  });

  it('an unsupported target is a setup error naming the choices', () => {
    expect(() => createMockSender({ vendor: 'aidelly', secret: SECRET, target: 42 as unknown as Target })).toThrow(/URL, an http.Server/);
    expect(() => createMockSender({ vendor: 'aidelly', secret: SECRET, target: 'ftp://x' })).toThrow(/http\(s\)/);
    expect(() => createMockSender({ vendor: 'aidelly', secret: SECRET, target: 'not a url' })).toThrow(/not a URL/);
    expect(() => createMockSender({ vendor: 'aidelly', secret: SECRET, target: '/x', path: 'hooks' })).toThrow(/start with/);
  });

  it('send without a target says how to fix it', async () => {
    const s = createMockSender({ vendor: 'aidelly', secret: SECRET });
    await expect(async () => s.send(s.event('post.created'))).rejects.toThrow(/no `target`/);
  });
});
