// detectVendor, and a fifth vendor from defineVendor working end to end: verify,
// sign, the receiver and handleWebhook, checked against node:crypto signatures.
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createReceiver, defineVendor, detectVendor, handleWebhook, sign, vendors, verify, vendorIds, type TimbrixEvents, type VendorProfile } from '@hookproof/core';
import { acme } from './fixtures/acme.js';
import { builtIns, handSigned, NOW_MS, NOW_S, sampleBodies, SECRET, signatureHeaderOf } from './helpers.js';

const now = () => NOW_MS;

describe('detectVendor', () => {
  for (const vendor of builtIns) {
    it(`${vendor}: by its signature header, in any case and any container`, () => {
      const headers = handSigned(vendor, sampleBodies[vendor]);
      expect(detectVendor(headers)).toBe(vendor);
      expect(detectVendor(new Headers(headers))).toBe(vendor);
      expect(detectVendor(Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toUpperCase(), [v]])))).toBe(vendor);
    });
  }

  it('undefined when no known signature header is present, or it is empty', () => {
    expect(detectVendor({})).toBeUndefined();
    expect(detectVendor({ 'x-hub-signature-256': 'sha256=00', 'stripe-signature': 't=1,v1=00' })).toBeUndefined();
    expect(detectVendor({ 'aidelly-signature': '   ' })).toBeUndefined();
    expect(detectVendor(null as never)).toBeUndefined();
  });

  it('looks among your own profiles, e.g. the built-ins plus a defined vendor', () => {
    const among: VendorProfile[] = [...vendorIds.map((id) => vendors[id]), acme];
    expect(detectVendor({ 'x-acme-signature': 'v1=abc' }, among)).toBe(acme);
    expect(detectVendor({ 'aidelly-signature': 'sha256=00' }, among)).toBe(vendors.aidelly);
    expect(detectVendor({ 'x-acme-signature': 'v1=abc' })).toBeUndefined();
  });
});

describe('defineVendor: a fifth vendor end to end', () => {
  const body = JSON.stringify({ kind: 'invoice.paid', eventId: 'acme_evt_7', data: { invoiceId: 'inv_7', amount: 1999, currency: 'EUR' } });
  const iso = new Date(NOW_MS).toISOString();
  // The Acme convention, computed with node:crypto: v1=<base64 HMAC of "<timestamp>.<body>">.
  const acmeSig = (ts: string, b = body, secret = SECRET) => `v1=${createHmac('sha256', secret).update(`${ts}.${b}`).digest('base64')}`;
  const headers = { 'X-Acme-Signature': acmeSig(iso), 'X-Acme-Timestamp': iso };

  it('verifies, with the type, id and payload its profile describes', async () => {
    const result = await verify({ vendor: acme, body, headers, secret: SECRET, now });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.event.vendor).toBe('acme');
    expect(result.event.type).toBe('invoice.paid');
    expect(result.event.id).toBe('acme_evt_7');
    expect(result.event.idSource).toBe('payload');
    expect(result.event.signedAt).toBe(NOW_MS);
    if (result.event.type === 'invoice.paid') expect(result.event.payload.data.amount).toBe(1999);
  });

  it('rejects tampering, staleness and a missing timestamp with the right codes', async () => {
    const codes = async (b: string, h: Record<string, string>, at = NOW_MS) => {
      const r = await verify({ vendor: acme, body: b, headers: h, secret: SECRET, now: () => at });
      return r.ok ? 'ok' : r.error.code;
    };
    expect(await codes(body.replace('1999', '1990'), headers)).toBe('signature_mismatch');
    expect(await codes(body, headers, NOW_MS + 120_000)).toBe('ok');
    expect(await codes(body, headers, NOW_MS + 121_000)).toBe('timestamp_out_of_tolerance');
    expect(await codes(body, { 'X-Acme-Signature': headers['X-Acme-Signature'] })).toBe('missing_timestamp');
    expect(await codes(body, { 'X-Acme-Timestamp': iso })).toBe('missing_signature');
    // Timbrix's header on an Acme route is not accepted, even though the profile was copied from Timbrix.
    expect(await codes(body, { 'X-Webhook-Signature': createHmac('sha256', SECRET).update(body).digest('hex'), 'X-Acme-Timestamp': iso })).toBe('missing_signature');
  });

  it('sign() writes what Acme documents, as node:crypto computes it', async () => {
    const signed = await sign({ vendor: acme, body, secret: SECRET, timestamp: NOW_S });
    expect(signed).toEqual({ 'content-type': 'application/json', 'x-acme-signature': acmeSig(iso), 'x-acme-timestamp': iso });
  });

  it('drives a receiver and handleWebhook', async () => {
    const paid: number[] = [];
    const receiver = createReceiver({ vendor: acme, secret: SECRET, now }).on('invoice.paid', (e) => {
      paid.push(e.payload.data.amount);
    });
    expect((await receiver.receive({ body, headers })).status).toBe(200);
    expect((await receiver.receive({ body, headers })).body).toMatchObject({ error: 'duplicate' });
    const response = await handleWebhook(new Request('http://127.0.0.1/acme', { method: 'POST', body, headers }), receiver);
    expect(response.status).toBe(200);
    expect(paid).toEqual([1999]);
  });

  it('marks every field it was not told the source of as assumed', () => {
    expect(acme.provenance.signatureHeader).toEqual({ documented: 'acme docs (test fixture)' });
    expect(acme.provenance.toleranceSec).toEqual({ assumed: 'set by the application (defineVendor)' });
    expect(Object.isFrozen(acme)).toBe(true);
  });

  it('overrides one assumption of a built-in vendor', async () => {
    // Timbrix's payload format is missing from its API reference; an app that sees `kind` says so.
    const timbrixKind = defineVendor<TimbrixEvents, 'timbrix'>({ ...vendors.timbrix, typeFields: ['kind'] });
    const b = JSON.stringify({ kind: 'member.removed', data: {} });
    const result = await verify({ vendor: timbrixKind, body: b, headers: handSigned('timbrix', b), secret: SECRET, now });
    expect(result.ok && result.event.type).toBe('member.removed');
    expect(result.ok && result.event.vendor).toBe('timbrix');
  });

  it('setup errors name the missing piece', () => {
    const base = { ...vendors.timbrix, id: 'broken' };
    expect(() => defineVendor({ ...base, id: '' })).toThrow(/`id` must be a non-empty string/);
    expect(() => defineVendor({ ...base, signatureHeader: undefined as unknown as string })).toThrow(
      /defineVendor\("broken"\): `signatureHeader` is required \(copy it from a built-in profile/,
    );
    expect(() => defineVendor({ ...base, signedContent: 'timestamp.body', timestampHeader: undefined })).toThrow(/needs `timestampHeader`/);
    expect(() => defineVendor(null as never)).toThrow(/takes a profile object/);
  });

  it("the built-in profiles keep the header names the vendors' pages document", () => {
    for (const vendor of builtIns) expect(vendors[vendor].signatureHeader).toBe(signatureHeaderOf[vendor]);
  });
});

describe('defineVendor over a spread built-in profile', () => {
  it('marks only the changed fields as overridden and keeps the other notes', () => {
    const custom = defineVendor({ ...vendors.timbrix, typeFields: ['kind', 'event'] });
    expect(custom.provenance.typeFields).toEqual({
      assumed: expect.stringContaining('overridden by the application'),
    });
    expect(custom.provenance.signatureHeader).toBe(vendors.timbrix.provenance.signatureHeader);
    expect(custom.provenance.retry).toBe(vendors.timbrix.provenance.retry);
  });
});
