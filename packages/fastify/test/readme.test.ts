// Registers the plugin exactly as README.md shows: test/readme/*.ts are the README's code
// blocks, byte for byte (checked first), imported and driven with fastify.inject().
import { afterEach, describe, expect, it, vi } from 'vitest';
import { readFileSync } from 'node:fs';
import Fastify, { type FastifyInstance } from 'fastify';
import { readmeBlock } from '../../../conformance/readme.js';
import { sample, SECRET, signedHeaders } from '../../../conformance/signing.js';

const readme = new URL('../README.md', import.meta.url);
const copies: [string, string][] = [
  ['Mount', 'mount.ts'],
  ['With a receiver: dedupe, typed handlers, then 2xx', 'receiver.ts'],
  ['Several vendors on one route', 'several-vendors.ts'],
];

function post(app: FastifyInstance, url: string, vendor: 'aidelly' | 'timbrix', secret = SECRET) {
  const body = sample[vendor].body;
  return app.inject({ method: 'POST', url, payload: body, headers: { 'content-type': 'application/json', ...Object.fromEntries(signedHeaders(vendor, body, secret)) } });
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('README.md code blocks', () => {
  it.each(copies)('"%s" is the tested copy test/readme/%s', (heading, file) => {
    expect(readFileSync(new URL(`./readme/${file}`, import.meta.url), 'utf8')).toBe(readmeBlock(readme, heading));
  });

  it('Mount: verifies in the scope, the rest of the app keeps parsing JSON', async () => {
    process.env['AIDELLY_WEBHOOK_SECRET'] = SECRET;
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const { default: app } = await import('./readme/mount.js');
    try {
      expect((await post(app, '/hooks/aidelly', 'aidelly')).statusCode).toBe(204);
      expect(log).toHaveBeenCalledWith('published on', 'linkedin', 'urn:li:share:1');
      const forged = await post(app, '/hooks/aidelly', 'aidelly', 'whsec_guess');
      expect([forged.statusCode, forged.json().error]).toEqual([401, 'signature_mismatch']);
      const echo = await app.inject({ method: 'POST', url: '/api/echo', payload: { a: 1 } });
      expect([echo.statusCode, echo.json()]).toEqual([200, { a: 1 }]);
      expect(log).toHaveBeenCalledTimes(1);
    } finally {
      await app.close();
    }
  });

  it('With a receiver: registered at the root with a path; runs the handler once, then duplicate', async () => {
    process.env['TIMBRIX_WEBHOOK_SECRET'] = SECRET;
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const { default: app } = await import('./readme/receiver.js');
    app.post('/api/echo', async (request) => request.body);
    try {
      const first = await post(app, '/hooks/timbrix', 'timbrix');
      expect([first.statusCode, first.json()]).toEqual([200, { ok: true, id: 'evt_t1', type: 'member.added' }]);
      const again = await post(app, '/hooks/timbrix', 'timbrix');
      expect([again.statusCode, again.json().error]).toEqual([200, 'duplicate']);
      expect(log.mock.calls).toEqual([['member added', 'evt_t1']]);
      // The root keeps Fastify's JSON parser: the plugin's raw parsing is confined to its route.
      const echo = await app.inject({ method: 'POST', url: '/api/echo', payload: { a: 1 } });
      expect([echo.statusCode, echo.json()]).toEqual([200, { a: 1 }]);
    } finally {
      await app.close();
    }
  });

  it('Several vendors on one route: each vendor with its own secret', async () => {
    process.env['AIDELLY_WEBHOOK_SECRET'] = 'whsec_aidelly';
    process.env['TIMBRIX_WEBHOOK_SECRET'] = 'whsec_timbrix';
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const { webhookRoutes } = await import('./readme/several-vendors.js');
    const app = Fastify();
    app.register(webhookRoutes);
    try {
      expect((await post(app, '/hooks', 'timbrix', 'whsec_timbrix')).statusCode).toBe(204);
      expect((await post(app, '/hooks', 'aidelly', 'whsec_aidelly')).statusCode).toBe(204);
      expect((await post(app, '/hooks', 'aidelly', 'whsec_timbrix')).statusCode).toBe(401);
      expect(log.mock.calls).toEqual([['new member', 'evt_t1']]);
    } finally {
      await app.close();
    }
  });
});
