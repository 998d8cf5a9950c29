// The built-in 'standard-webhooks' vendor against the Standard Webhooks spec's own
// JavaScript test suite (kept as data in fixtures/standard-webhooks-spec.json, clock
// injected), and against deliveries signed by the `standardwebhooks` and `svix` packages
// under both header families. Expected signatures are computed here with plain node:crypto.
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { Webhook as SvixWebhook } from 'svix';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { createReceiver, diagnose, sign, vendorIds, vendors, verify, type WebhookEvent } from '@hookproof/core';
import { createWebhookEngine } from '@hookproof/core/adapter';

interface SpecCase {
  name: string;
  expect: 'accept' | 'reject';
  remove?: string;
  set?: Record<string, string>;
  truncateSignature?: number;
  signedAtOffsetMs?: number;
  signatureList?: string[];
  secretPrefix?: string;
}
const spec = JSON.parse(readFileSync(new URL('./fixtures/standard-webhooks-spec.json', import.meta.url), 'utf8')) as {
  msgId: string;
  payload: string;
  secret: string;
  toleranceSec: number;
  nowSec: number;
  setupErrors: { name: string; secrets: (string | null)[] }[];
  verify: SpecCase[];
  sign: { name: string; secret: string; msgId: string; timestampSec: number; payload: string; expected: string }[];
};

const NOW_MS = spec.nowSec * 1000;
const now = () => NOW_MS;

/** The spec library's TestPayload: `v1,` + base64 HMAC-SHA256 over `id.timestamp.body`, keyed by the base64-decoded secret. */
function specHeaders(timestampMs = NOW_MS, secret = spec.secret, id = spec.msgId, payload = spec.payload): Record<string, string> {
  const ts = Math.floor(timestampMs / 1000);
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const signature = createHmac('sha256', key).update(`${id}.${ts}.${payload}`).digest('base64');
  return { 'webhook-id': id, 'webhook-signature': `v1,${signature}`, 'webhook-timestamp': String(ts) };
}

describe('Standard Webhooks spec suite (libraries/javascript/src/webhook.test.ts)', () => {
  it('the built-in vendor is listed', () => {
    expect(vendorIds).toContain('standard-webhooks');
    expect(vendors['standard-webhooks'].id).toBe('standard-webhooks');
  });

  for (const c of spec.setupErrors) {
    it(c.name, () => {
      for (const s of c.secrets) {
        const secret = s === '__undefined__' ? undefined : s;
        expect(() => verify({ vendor: 'standard-webhooks', secret: secret as unknown as string, body: spec.payload, headers: specHeaders(), now })).toThrow(TypeError);
      }
    });
  }

  for (const c of spec.verify) {
    it(c.name, async () => {
      const headers = specHeaders(NOW_MS + (c.signedAtOffsetMs ?? 0));
      if (c.remove !== undefined) delete headers[c.remove];
      Object.assign(headers, c.set ?? {});
      if (c.truncateSignature !== undefined) headers['webhook-signature'] = headers['webhook-signature']!.slice(0, c.truncateSignature);
      if (c.signatureList !== undefined) headers['webhook-signature'] = c.signatureList.map((s) => (s === '$valid' ? headers['webhook-signature']! : s)).join(' ');
      const result = await verify({ vendor: 'standard-webhooks', secret: `${c.secretPrefix ?? ''}${spec.secret}`, body: spec.payload, headers, now, toleranceSec: spec.toleranceSec });
      expect(result.ok, JSON.stringify(result.ok ? result.event.type : result.error.code)).toBe(c.expect === 'accept');
      if (result.ok) {
        // A body with no `type` (as in these vectors) still verifies, as an undocumented event.
        expect(result.event.payload).toEqual(JSON.parse(spec.payload));
        expect(result.event.id).toBe(spec.msgId);
        expect(result.secretIndex).toBe(0);
      }
    });
  }

  for (const c of spec.sign) {
    it(c.name, async () => {
      const headers = await sign({ vendor: 'standard-webhooks', secret: c.secret, body: c.payload, timestamp: c.timestampSec, id: c.msgId });
      expect(headers['webhook-signature']).toBe(c.expected);
      expect(headers['webhook-id']).toBe(c.msgId);
      expect(headers['webhook-timestamp']).toBe(String(c.timestampSec));
    });
  }

  it('the spec positive cases count six (valid, unbranded, multi sig, with and without prefix, sign)', () => {
    expect(spec.verify.filter((c) => c.expect === 'accept').length + spec.sign.length).toBe(6);
  });
});

/** The packages read Date.now() for their window; run them at the fixture's clock. */
function withClock<T>(fn: () => T): T {
  const real = Date.now;
  Date.now = () => NOW_MS;
  try {
    return fn();
  } finally {
    Date.now = real;
  }
}

describe('deliveries signed by the standardwebhooks and svix packages', () => {
  const secret = `whsec_${Buffer.from('hookproof-interop-secret-0123456789').toString('base64')}`;
  const body = JSON.stringify({ type: 'invoice.paid', timestamp: '2021-02-25T15:02:10Z', data: { id: 'inv_1', amount: 42 } });
  const when = new Date(NOW_MS);

  it('standardwebhooks Webhook.sign, webhook-* headers', async () => {
    const signature = new StandardWebhook(secret).sign('msg_std_1', when, body);
    const headers = { 'webhook-id': 'msg_std_1', 'webhook-timestamp': String(spec.nowSec), 'webhook-signature': signature };
    const result = await verify({ vendor: 'standard-webhooks', secret, body, headers, now });
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.event.type).toBe('invoice.paid');
      expect(result.event.id).toBe('msg_std_1');
      expect(result.event.signedAt).toBe(NOW_MS);
    }
    // And the package accepts what hookproof's sign() writes.
    const ours = await sign({ vendor: 'standard-webhooks', secret, body, timestamp: spec.nowSec, id: 'msg_std_2' });
    expect(withClock(() => new StandardWebhook(secret).verify(body, ours))).toEqual(JSON.parse(body));
  });

  it('svix Webhook.sign, svix-* headers and webhook-* headers', async () => {
    const signature = new SvixWebhook(secret).sign('msg_svix_1', when, body);
    for (const family of ['svix', 'webhook']) {
      const headers = { [`${family}-id`]: 'msg_svix_1', [`${family}-timestamp`]: String(spec.nowSec), [`${family}-signature`]: signature };
      const result = await verify({ vendor: 'standard-webhooks', secret, body, headers, now });
      expect(result.ok, family).toBe(true);
      if (result.ok) expect(result.event.id).toBe('msg_svix_1');
    }
    // svix verifies hookproof's output too (it reads svix-* first, then webhook-*).
    const ours = await sign({ vendor: 'standard-webhooks', secret, body, timestamp: spec.nowSec, id: 'msg_svix_2' });
    expect(withClock(() => new SvixWebhook(secret).verify(body, ours))).toEqual(JSON.parse(body));
  });

  it('rotation: the new signature first or last, secretIndex names the secret that matched', async () => {
    const old = `whsec_${Buffer.from('the-old-secret-bytes-0123456789').toString('base64')}`;
    const sigNew = new StandardWebhook(secret).sign('msg_rot', when, body);
    const sigOld = new StandardWebhook(old).sign('msg_rot', when, body);
    for (const header of [`${sigNew} ${sigOld}`, `${sigOld} ${sigNew}`]) {
      const headers = { 'webhook-id': 'msg_rot', 'webhook-timestamp': String(spec.nowSec), 'webhook-signature': header };
      const both = await verify({ vendor: 'standard-webhooks', secret: [old, secret], body, headers, now });
      expect(both.ok && both.secretIndex).toBe(0);
      const onlyNew = await verify({ vendor: 'standard-webhooks', secret: [`whsec_${Buffer.from('unrelated').toString('base64')}`, secret], body, headers, now });
      expect(onlyNew.ok && onlyNew.secretIndex).toBe(1);
    }
  });

  it('a Uint8Array secret is the raw key', async () => {
    const key = new Uint8Array(Buffer.from(secret.slice(6), 'base64'));
    const headers = specHeaders(NOW_MS, secret, 'msg_raw', body);
    const result = await verify({ vendor: 'standard-webhooks', secret: key, body, headers, now });
    expect(result.ok).toBe(true);
  });

  it('an unknown label (v1a, v2) is never tried as an HMAC', async () => {
    const headers = specHeaders(NOW_MS, secret, 'msg_lbl', body);
    const mac = headers['webhook-signature']!.slice(3);
    for (const label of ['v1a', 'v2', 'V1', 'v0']) {
      const result = await verify({ vendor: 'standard-webhooks', secret, body, headers: { ...headers, 'webhook-signature': `${label},${mac}` }, now });
      expect(result.ok, label).toBe(false);
      if (!result.ok) expect(result.error.code).toBe('malformed_signature');
    }
  });

  it('events are typed { type, timestamp, data }', async () => {
    const headers = specHeaders(NOW_MS, secret, 'msg_typed', body);
    const result = await verify({ vendor: 'standard-webhooks', secret, body, headers, now });
    expect(result.ok).toBe(true);
    if (result.ok) {
      const event = result.event;
      expectTypeOf(event).toEqualTypeOf<WebhookEvent<'standard-webhooks'>>();
      if (event.documented) {
        expectTypeOf(event.payload.data).toEqualTypeOf<{ readonly [key: string]: unknown }>();
        expectTypeOf(event.payload.timestamp).toEqualTypeOf<string>();
        expect(event.payload.data).toEqual({ id: 'inv_1', amount: 42 });
      }
      expect(event.documented).toBe(true);
    }
  });

  it('a receiver dispatches Standard Webhooks deliveries and dedupes on the signed webhook-id', async () => {
    const seen: string[] = [];
    const receiver = createReceiver({ vendor: 'standard-webhooks', secret, now }).on('invoice.paid', (e) => {
      seen.push(e.id);
    });
    const headers = specHeaders(NOW_MS, secret, 'msg_recv', body);
    const first = await receiver.receive({ body, headers });
    const again = await receiver.receive({ body, headers });
    expect(first.status).toBe(200);
    expect(again.status).toBe(200);
    expect(seen).toEqual(['msg_recv']);
  });

  it('one route for several vendors picks Standard Webhooks by its svix-* headers; a Uint8Array secret in a per-vendor map', async () => {
    const key = new Uint8Array(Buffer.from(secret.slice(6), 'base64'));
    const engine = createWebhookEngine({ vendor: ['aidelly', 'standard-webhooks'], secret: { aidelly: 'whsec_aidelly_only', 'standard-webhooks': key }, now });
    const headers = specHeaders(NOW_MS, secret, 'msg_multi', body);
    const svixHeaders = { 'svix-id': headers['webhook-id']!, 'svix-timestamp': headers['webhook-timestamp']!, 'svix-signature': headers['webhook-signature']! };
    const result = await engine.handle({ body: Buffer.from(body), headers: svixHeaders });
    expect(result.status).toBe(200);
    expect(result.event?.vendor).toBe('standard-webhooks');
  });

  it('diagnose() calls a valid delivery valid', async () => {
    const headers = specHeaders(NOW_MS, secret, 'msg_diag', body);
    expect((await diagnose({ vendor: 'standard-webhooks', secret, body, headers, now })).ok).toBe(true);
  });
});
