// handleWebhook keeps one receiver (and in-memory dedupe store) per options object. Options
// written inline in the fetch handler are a new object per request, so dedupe never sees a
// repeat: the library warns once when a second options object arrives for a vendor and
// secret it has seen. Hoisted options, several routes, or a shared store: no warning.
import { createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const SECRET = 'whsec_inline_options_test';
const body = JSON.stringify({
  event: 'post.published',
  workspace_id: 'w',
  brand_id: 'b',
  data: { post_id: 'p1', platform: 'linkedin', status: 'completed', published_at: '2026-02-18T17:30:00Z', platform_post_id: 'urn:li:share:1' },
  created_at: '2026-02-18T17:30:02Z',
});

/** An Aidelly delivery, signed with node:crypto: `Aidelly-Signature: sha256=<hex HMAC of the body>`. */
function delivery(secret = SECRET): Request {
  const signature = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
  return new Request('http://127.0.0.1/webhooks/aidelly', { method: 'POST', headers: { 'content-type': 'application/json', 'aidelly-signature': signature }, body });
}

type Core = typeof import('@hookproof/core');
let core: Core;
let warnings: [unknown, unknown][];

beforeEach(async () => {
  // The warning is once per process: a fresh module graph per test.
  vi.resetModules();
  core = await import('@hookproof/core');
  warnings = [];
  vi.spyOn(process, 'emitWarning').mockImplementation(((message: unknown, options: unknown) => void warnings.push([message, options])) as typeof process.emitWarning);
});
afterEach(() => {
  vi.restoreAllMocks();
});

const inlineWarnings = () => warnings.filter(([, options]) => (options as { code?: string } | undefined)?.code === 'HOOKPROOF_INLINE_OPTIONS');

describe('handleWebhook options written inline, per request', () => {
  it('the same delivery three times runs the handler three times (a fresh store each), and warns once, naming the fix', async () => {
    const seen: string[] = [];
    const answers: number[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await core.handleWebhook(delivery(), { vendor: 'aidelly', secret: SECRET, onEvent: (event) => void seen.push(event.id) });
      answers.push(res.status);
    }
    expect(answers).toEqual([200, 200, 200]);
    expect(seen).toHaveLength(3);
    const found = inlineWarnings();
    expect(found).toHaveLength(1);
    const message = String(found[0]![0]);
    expect(message).toMatch(/second options object for the same vendor and secret/);
    expect(message).toMatch(/once, outside the handler/);
    expect(message).not.toContain(SECRET);
  });
});

describe('no warning where dedupe works or the objects are really different', () => {
  it('options created once: the handler runs once, the copies are answered duplicate', async () => {
    const seen: string[] = [];
    const options = { vendor: 'aidelly' as const, secret: SECRET, onEvent: (event: { id: string }) => void seen.push(event.id) };
    const bodies: unknown[] = [];
    for (let i = 0; i < 3; i++) bodies.push(await (await core.handleWebhook(delivery(), options)).json());
    expect(seen).toHaveLength(1);
    expect(bodies.slice(1)).toEqual([expect.objectContaining({ error: 'duplicate' }), expect.objectContaining({ error: 'duplicate' })]);
    expect(inlineWarnings()).toEqual([]);
  });

  it('two routes with their own vendor or secret, and inline options that bring a shared store', async () => {
    await core.handleWebhook(delivery(), { vendor: 'aidelly', secret: SECRET });
    await core.handleWebhook(delivery('whsec_other_brand'), { vendor: 'aidelly', secret: 'whsec_other_brand' });
    await core.handleWebhook(delivery(), { vendor: 'timbrix', secret: SECRET });
    const store = core.createMemoryStore();
    const seen: string[] = [];
    for (let i = 0; i < 3; i++) await core.handleWebhook(delivery(), { vendor: 'aidelly', secret: SECRET, dedupe: store, onEvent: (event) => void seen.push(event.id) });
    expect(seen).toHaveLength(1);
    expect(inlineWarnings()).toEqual([]);
  });
});
