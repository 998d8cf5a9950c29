// The root README's quick-start receiver, as a new user runs it: when the handler throws,
// the delivery is answered 500 and exactly one line is printed, naming what was thrown.
// test/readme/quick-start.ts is the README's block byte for byte (checked first).
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import request from 'supertest';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { readmeBlock } from '../../../conformance/readme.js';
import { createApp } from './readme/quick-start.js';

const SECRET = 'whsec_quick-start-3f1c9e';
const BODY = JSON.stringify({
  event: 'post.published', workspace_id: 'w', brand_id: 'b',
  data: { post_id: 'post_1', platform: 'linkedin', status: 'completed', published_at: '2026-02-18T17:30:00Z', platform_post_id: 'urn:li:share:1' },
  created_at: '2026-02-18T17:30:02Z',
});
// Aidelly REST API guide, "Webhooks" page, "Signature verification": sha256=<hex HMAC of the raw body>.
const SIGNATURE = `sha256=${createHmac('sha256', SECRET).update(BODY).digest('hex')}`;

afterEach(() => vi.restoreAllMocks());

describe('README quick start', () => {
  it('test/readme/quick-start.ts is the README block', () => {
    expect(readFileSync(new URL('./readme/quick-start.ts', import.meta.url), 'utf8')).toBe(readmeBlock(new URL('../../../README.md', import.meta.url), 'Quick start: an Express receiver and its test'));
  });

  it("a throwing handler: 500 handler_error, and one printed line naming Error('db is down: ECONNREFUSED')", async () => {
    const printed: string[] = [];
    for (const method of ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const) {
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void printed.push(args.map(String).join(' ')));
    }
    const stderr = vi.spyOn(process.stderr, 'write');
    const app = createApp(async () => {
      throw new Error('db is down: ECONNREFUSED');
    }, SECRET);
    const res = await request(app).post('/webhooks/aidelly').set('content-type', 'application/json').set('aidelly-signature', SIGNATURE).send(BODY);
    expect([res.status, res.body.error]).toEqual([500, 'handler_error']);
    expect(printed).toHaveLength(1);
    expect(printed[0]).not.toMatch(/[\r\n]/);
    expect(printed[0]).toContain('Error: db is down: ECONNREFUSED');
    expect(printed[0]).toMatch(/^hookproof: aidelly post\.published sha256:[0-9a-f]{32}: handler_error \(500\)/);
    expect(printed[0]).not.toContain(SECRET.slice(6, 18));
    expect(printed[0]).not.toContain(SIGNATURE.slice(7, 19));
    expect(stderr).not.toHaveBeenCalled();
  });

  it('a valid delivery prints nothing', async () => {
    const printed = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const warned = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const app = createApp(async () => undefined, SECRET);
    const res = await request(app).post('/webhooks/aidelly').set('content-type', 'application/json').set('aidelly-signature', SIGNATURE).send(BODY);
    expect(res.status).toBe(200);
    expect(printed).not.toHaveBeenCalled();
    expect(warned).not.toHaveBeenCalled();
  });
});
