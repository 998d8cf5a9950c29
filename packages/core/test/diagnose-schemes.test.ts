// diagnose() with signing schemes: a delivery that fits another known scheme (a recipe or
// a built-in vendor) is named as such instead of blaming the secret; the usual mistakes are
// found for strictly read schemes too. Signatures come from the vendors' own signers or
// plain node:crypto.
import { createHmac } from 'node:crypto';
import { Webhook as SvixWebhook } from 'svix';
import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { diagnose } from '@hookproof/core';
import { stripe } from '@hookproof/core/recipes';

const NOW_S = 1767225600;
const now = () => NOW_S * 1000;
const SECRET = 'whsec_c29tZS1zaWduaW5nLXNlY3JldA';
const body = JSON.stringify({ id: 'evt_1', type: 'invoice.paid', timestamp: '2026-01-01T00:00:00Z', data: { amount: 1 } });
const stripeHeader = (secret: string, payload = body) => new Stripe('sk_test_diag').webhooks.generateTestHeaderString({ payload, secret, timestamp: NOW_S });
const swHeaders = (secret: string, payload = body) => {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const mac = createHmac('sha256', key).update(`msg_1.${NOW_S}.${payload}`).digest('base64');
  return { 'webhook-id': 'msg_1', 'webhook-timestamp': String(NOW_S), 'webhook-signature': `v1,${mac}` };
};

describe('diagnose: another known scheme, not the secret', () => {
  it('a Stripe-signed delivery on an Aidelly route names the Stripe recipe', async () => {
    const d = await diagnose({ vendor: 'aidelly', secret: SECRET, body, headers: { 'Stripe-Signature': stripeHeader(SECRET) }, now });
    expect(d.cause).toBe('other_scheme');
    expect(d.summary).toMatch(/signed the way Stripe signs .*recipes\.stripe from '@hookproof\/core\/recipes'/);
  });

  it('a svix-signed delivery on a Timbrix route names the standard-webhooks vendor', async () => {
    const signature = new SvixWebhook(SECRET).sign('msg_2', new Date(NOW_S * 1000), body);
    const headers = { 'svix-id': 'msg_2', 'svix-timestamp': String(NOW_S), 'svix-signature': signature };
    const d = await diagnose({ vendor: 'timbrix', secret: SECRET, body, headers, now });
    expect(d.cause).toBe('wrong_vendor');
    expect(d.summary).toMatch(/Standard Webhooks's signature header \(webhook-signature\), not Timbrix's.*vendor: 'standard-webhooks'/);
  });

  it('the right scheme with another secret is still a wrong secret', async () => {
    const d = await diagnose({ vendor: stripe, secret: SECRET, body, headers: { 'Stripe-Signature': stripeHeader('whsec_other') }, now });
    expect(d.code).toBe('signature_mismatch');
    expect(d.cause).toBe('wrong_secret');
  });

  it('another scheme header signed with another secret is not claimed as that scheme', async () => {
    const d = await diagnose({ vendor: 'aidelly', secret: SECRET, body, headers: { 'Stripe-Signature': stripeHeader('whsec_other') }, now });
    expect(d.cause).toBe('missing_signature');
  });
});

describe('diagnose: usual mistakes under a strictly read scheme', () => {
  it('Standard Webhooks: a trailing newline added after signing', async () => {
    const d = await diagnose({ vendor: 'standard-webhooks', secret: SECRET, body: `${body}\n`, headers: swHeaders(SECRET), now });
    expect(d.cause).toBe('trailing_newline');
  });

  it('Standard Webhooks: the sender keyed the HMAC with the secret string, not the decoded bytes', async () => {
    const mac = createHmac('sha256', SECRET).update(`msg_1.${NOW_S}.${body}`).digest('base64');
    const d = await diagnose({ vendor: 'standard-webhooks', secret: SECRET, body, headers: { ...swHeaders(SECRET), 'webhook-signature': `v1,${mac}` }, now });
    expect(d.cause).toBe('secret_encoding');
  });

  it('Standard Webhooks: only a v1a, signature (asymmetric) is a signature_encoding finding', async () => {
    const d = await diagnose({ vendor: 'standard-webhooks', secret: SECRET, body, headers: { ...swHeaders(SECRET), 'webhook-signature': 'v1a,AAAA' }, now });
    expect(d.code).toBe('malformed_signature');
    expect(d.cause).toBe('signature_encoding');
    expect(d.summary).toMatch(/no "v1," signature/);
  });

  it('Stripe: a body re-serialised by a parser', async () => {
    const pretty = JSON.stringify(JSON.parse(body), null, 2);
    const d = await diagnose({ vendor: stripe, secret: SECRET, body, headers: { 'Stripe-Signature': stripeHeader(SECRET, pretty) }, now });
    expect(d.cause).toBe('body_reserialized');
  });
});
