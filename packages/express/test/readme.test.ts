// Mounts the middleware exactly as README.md shows: test/readme/*.ts are the README's
// code blocks, byte for byte (checked first), imported and driven with supertest.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { readFileSync } from 'node:fs';
import type { RequestListener } from 'node:http';
import request from 'supertest';
import { readmeBlock } from '../../../conformance/readme.js';
import { sample, SECRET, signedHeaders } from '../../../conformance/signing.js';

const readme = new URL('../README.md', import.meta.url);
const copies: [string, string][] = [
  ['Mount', 'mount.ts'],
  ['With a receiver: dedupe, typed handlers, then 2xx', 'receiver.ts'],
  ['When a JSON parser runs first', 'prior-parser.ts'],
];

function post(app: RequestListener, path: string, vendor: 'aidelly' | 'timbrix', secret = SECRET) {
  const body = sample[vendor].body;
  const test = request(app).post(path).set('Content-Type', 'application/json');
  for (const [name, value] of signedHeaders(vendor, body, secret)) test.set(name, value);
  return test.send(body);
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('README.md code blocks', () => {
  it.each(copies)('"%s" is the tested copy test/readme/%s', (heading, file) => {
    expect(readFileSync(new URL(`./readme/${file}`, import.meta.url), 'utf8')).toBe(readmeBlock(readme, heading));
  });

  it('Mount: verifies, hands the typed event to the handler, answers failures', async () => {
    process.env['AIDELLY_WEBHOOK_SECRET'] = SECRET;
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const { default: app } = await import('./readme/mount.js');
    expect((await post(app, '/hooks/aidelly', 'aidelly')).status).toBe(204);
    expect(log).toHaveBeenCalledWith('published on', 'linkedin', 'urn:li:share:1');
    const forged = await post(app, '/hooks/aidelly', 'aidelly', 'whsec_guess');
    expect([forged.status, forged.body.error]).toEqual([401, 'signature_mismatch']);
    expect(log).toHaveBeenCalledTimes(1);
  });

  it('With a receiver: runs the handler once, answers 200, then duplicate', async () => {
    process.env['TIMBRIX_WEBHOOK_SECRET'] = SECRET;
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const { default: app } = await import('./readme/receiver.js');
    const first = await post(app, '/hooks/timbrix', 'timbrix');
    expect([first.status, first.body]).toEqual([200, { ok: true, id: 'evt_t1', type: 'member.added' }]);
    const again = await post(app, '/hooks/timbrix', 'timbrix');
    expect([again.status, again.body.error]).toEqual([200, 'duplicate']);
    expect(log.mock.calls).toEqual([['member added', 'evt_t1']]);
  });

  it('When a JSON parser runs first: keepRawBody keeps the bytes, so the delivery verifies', async () => {
    process.env['AIDELLY_WEBHOOK_SECRET'] = SECRET;
    const { default: app } = await import('./readme/prior-parser.js');
    const res = await post(app, '/hooks/aidelly', 'aidelly');
    expect([res.status, res.body]).toEqual([200, { received: 'post.published' }]);
    const tampered = await request(app)
      .post('/hooks/aidelly')
      .set('Content-Type', 'application/json')
      .set(Object.fromEntries(signedHeaders('aidelly', sample.aidelly.body)))
      .send(sample.aidelly.body.replace('linkedin', 'LinkedIn'));
    expect([tampered.status, tampered.body.error]).toEqual([401, 'signature_mismatch']);
  });
});
