// Mounts the middleware exactly as README.md shows: test/readme/*.ts are the README's
// code blocks, byte for byte (checked first), imported and driven with supertest.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { readFileSync } from 'node:fs';
import request from 'supertest';
import type { RequestListener } from 'node:http';
import { readmeBlock } from '../../../conformance/readme.js';
import { sample, SECRET, signedHeaders } from '../../../conformance/signing.js';

const readme = new URL('../README.md', import.meta.url);
const copies: [string, string][] = [
  ['Mount', 'mount.ts'],
  ['On one route with @koa/router', 'router.ts'],
  ['With a receiver: dedupe, typed handlers, then 2xx', 'receiver.ts'],
  ['With @koa/bodyparser mounted first', 'bodyparser.ts'],
];

function post(app: { callback(): RequestListener }, path: string, vendor: 'aidelly' | 'timbrix', options: { secret?: string; contentType?: string } = {}) {
  const body = sample[vendor].body;
  const test = request(app.callback()).post(path).set('Content-Type', options.contentType ?? 'application/json');
  for (const [name, value] of signedHeaders(vendor, body, options.secret ?? SECRET)) test.set(name, value);
  return test.send(body);
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('README.md code blocks', () => {
  it.each(copies)('"%s" is the tested copy test/readme/%s', (heading, file) => {
    expect(readFileSync(new URL(`./readme/${file}`, import.meta.url), 'utf8')).toBe(readmeBlock(readme, heading));
  });

  it('Mount: verifies, hands the typed event on, answers failures', async () => {
    process.env['AIDELLY_WEBHOOK_SECRET'] = SECRET;
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const { default: app } = await import('./readme/mount.js');
    expect((await post(app, '/', 'aidelly')).status).toBe(204);
    expect(log).toHaveBeenCalledWith('published on', 'linkedin', 'urn:li:share:1');
    const forged = await post(app, '/', 'aidelly', { secret: 'whsec_guess' });
    expect([forged.status, forged.body.error]).toEqual([401, 'signature_mismatch']);
    expect(log).toHaveBeenCalledTimes(1);
  });

  it('On one route with @koa/router: the route verifies, other paths are untouched', async () => {
    process.env['TIMBRIX_WEBHOOK_SECRET'] = SECRET;
    const { default: app } = await import('./readme/router.js');
    const res = await post(app, '/hooks/timbrix', 'timbrix');
    expect([res.status, res.body]).toEqual([200, { received: 'member.added' }]);
    expect((await post(app, '/elsewhere', 'timbrix')).status).toBe(404);
  });

  it('With a receiver: runs the handler once, answers 200, then duplicate', async () => {
    process.env['TIMBRIX_WEBHOOK_SECRET'] = SECRET;
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const { default: app } = await import('./readme/receiver.js');
    const first = await post(app, '/', 'timbrix');
    expect([first.status, first.body]).toEqual([200, { ok: true, id: 'evt_t1', type: 'member.added' }]);
    const again = await post(app, '/', 'timbrix');
    expect([again.status, again.body.error]).toEqual([200, 'duplicate']);
    expect(log.mock.calls).toEqual([['member added', 'evt_t1']]);
  });

  it('With @koa/bodyparser mounted first: verified from ctx.request.rawBody, or the untouched stream', async () => {
    process.env['AIDELLY_WEBHOOK_SECRET'] = SECRET;
    const { default: app } = await import('./readme/bodyparser.js');
    const json = await post(app, '/', 'aidelly');
    expect([json.status, json.body]).toEqual([200, { received: 'post.published' }]);
    const text = await post(app, '/', 'aidelly', { contentType: 'text/plain' });
    expect([text.status, text.body]).toEqual([200, { received: 'post.published' }]);
    const forged = await post(app, '/', 'aidelly', { secret: 'whsec_guess' });
    expect([forged.status, forged.body.error]).toEqual([401, 'signature_mismatch']);
  });
});
