import { afterEach, describe, expect, it } from 'vitest';
import { vendorIds, type VendorId } from '@hookproof/core';
import { createMockSender, STALE_WITHOUT_WINDOW_SEC, type SignatureFault } from '@hookproof/mock-sender';
import { startReceiver, type RunningReceiver } from './helpers.js';

// whsec_ + base64: a valid secret for every vendor, Standard Webhooks (which decodes it) included.
const SECRET = 'whsec_ZmF1bHQtdGVzdC1zZWNyZXQ';
let receiver: RunningReceiver | undefined;
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});

const sample: { [K in VendorId]: Parameters<ReturnType<typeof createMockSender<K>>['event']>[0] } = {
  autoposting: 'post.published',
  aidelly: 'post.published',
  audenci: 'post.published',
  timbrix: 'member.added',
  'standard-webhooks': 'invoice.paid',
};

const expected: Record<SignatureFault, (v: VendorId) => [number, string | undefined]> = {
  'tamper-body': () => [401, 'signature_mismatch'],
  'wrong-secret': () => [401, 'signature_mismatch'],
  'no-signature': () => [401, 'missing_signature'],
  // Autoposting and Standard Webhooks sign a timestamp; the others have no replay window to violate.
  'stale-timestamp': (v) => (v === 'autoposting' || v === 'standard-webhooks' ? [401, 'timestamp_out_of_tolerance'] : [200, undefined]),
  'bad-encoding': () => [400, 'invalid_json'],
};

describe('each fault is rejected by core end to end (createReceiver behind node:http)', () => {
  for (const vendor of vendorIds) {
    it(`${vendor}: a clean delivery passes, and every signature fault gets its code`, async () => {
      let now: () => number = Date.now;
      receiver = await startReceiver({ vendor, secret: SECRET, dedupe: false, now: () => now() });
      const sender = createMockSender({ vendor, secret: SECRET, target: receiver.url, seed: 7 });
      now = sender.now;
      const clean = await sender.send(sender.event(sample[vendor] as never));
      expect([clean.status, receiver.results.at(-1)?.code]).toEqual([200, undefined]);
      for (const fault of Object.keys(expected) as SignatureFault[]) {
        const result = await sender.send(sender.event(sample[vendor] as never), { fault });
        expect([fault, result.status, receiver.results.at(-1)?.code]).toEqual([fault, ...expected[fault](vendor)]);
        expect(JSON.parse(result.response!.body)).toEqual(
          result.status === 200 ? expect.objectContaining({ ok: true }) : { error: expected[fault](vendor)[1], message: expect.any(String) },
        );
      }
    });
  }

  it('stale-timestamp on a body-signing vendor sends the envelope time an hour back, correctly signed', async () => {
    receiver = await startReceiver({ vendor: 'aidelly', secret: SECRET, dedupe: false });
    const sender = createMockSender({ vendor: 'aidelly', secret: SECRET, target: receiver.url, startAt: Date.UTC(2026, 1, 18, 17, 30, 2) });
    const result = await sender.send(sender.event('post.published'), { fault: 'stale-timestamp' });
    expect(result.status).toBe(200);
    const sent = JSON.parse(Buffer.from(result.request.body).toString());
    expect(sent.created_at).toBe(new Date(Date.UTC(2026, 1, 18, 17, 30, 2) - STALE_WITHOUT_WINDOW_SEC * 1000).toISOString().replace('.000Z', 'Z'));
  });

  it('bad-encoding sends UTF-16LE with a BOM, signed over exactly those bytes', async () => {
    receiver = await startReceiver({ vendor: 'timbrix', secret: SECRET, dedupe: false });
    const sender = createMockSender({ vendor: 'timbrix', secret: SECRET, target: receiver.url });
    const event = sender.event('member.added');
    const result = await sender.send(event, { fault: 'bad-encoding' });
    const body = Buffer.from(result.request.body);
    expect([...body.subarray(0, 2)]).toEqual([0xff, 0xfe]);
    expect(body.subarray(2).toString('utf16le')).toBe(event.body);
  });

  it('{ duplicate: 3 }: the identical delivery three times; processed once, then acknowledged as duplicate', async () => {
    receiver = await startReceiver({ vendor: 'aidelly', secret: SECRET });
    const sender = createMockSender({ vendor: 'aidelly', secret: SECRET, target: receiver.url });
    const result = await sender.send(sender.event('post.published'), { fault: { duplicate: 3 } });
    expect(result.copies.map((c) => c.status)).toEqual([200, 200, 200]);
    expect(receiver.results.map((r) => r.code)).toEqual([undefined, 'duplicate', 'duplicate']);
    expect(new Set(result.copies.map((c) => c.request))).toEqual(new Set([result.request]));
  });

  it('{ concurrent: 4 }: four at once; one is processed, the others are told to retry (409 in_progress)', async () => {
    receiver = await startReceiver({ vendor: 'autoposting', secret: SECRET }, 400);
    const sender = createMockSender({ vendor: 'autoposting', secret: SECRET, target: receiver.url });
    const result = await sender.send(sender.event('post.published'), { fault: { concurrent: 4 } });
    expect(result.copies.map((c) => c.status).sort()).toEqual([200, 409, 409, 409]);
    expect(receiver.results.map((r) => r.code).sort()).toEqual(['in_progress', 'in_progress', 'in_progress', undefined].sort());
  });

  it('{ delayMs }: arrives late on the virtual clock; past the window Autoposting deliveries are refused', async () => {
    let now: () => number = Date.now;
    receiver = await startReceiver({ vendor: 'autoposting', secret: SECRET, dedupe: false, now: () => now() });
    const sender = createMockSender({ vendor: 'autoposting', secret: SECRET, target: receiver.url });
    now = sender.now;
    const before = sender.now();
    expect((await sender.send(sender.event('post.published'), { fault: { delayMs: 60_000 } })).status).toBe(200);
    const late = await sender.send(sender.event('post.published'), { fault: { delayMs: 301_000 } });
    expect([late.status, receiver.results.at(-1)?.code]).toEqual([401, 'timestamp_out_of_tolerance']);
    expect(sender.now() - before).toBeGreaterThanOrEqual(361_000);
  });

  it("{ delayMs } with clock: 'real' really waits", async () => {
    receiver = await startReceiver({ vendor: 'aidelly', secret: SECRET });
    const sender = createMockSender({ vendor: 'aidelly', secret: SECRET, target: receiver.url });
    const wall = performance.now();
    await sender.send(sender.event('post.created'), { fault: { delayMs: 80 }, clock: 'real' });
    expect(performance.now() - wall).toBeGreaterThanOrEqual(75);
  });

  it('Autoposting without a secret delivers unsigned: refused by default, accepted with allowUnsigned', async () => {
    receiver = await startReceiver({ vendor: 'autoposting', secret: SECRET, dedupe: false });
    const unsigned = createMockSender({ vendor: 'autoposting', target: receiver.url });
    const refused = await unsigned.send(unsigned.undocumented('token.expired'));
    expect(refused.request.headers['X-Autoposting-Signature']).toBeUndefined();
    expect(refused.request.headers['X-Autoposting-Event']).toBe('token.expired');
    expect([refused.status, receiver.results.at(-1)?.code]).toEqual([401, 'missing_signature']);
    await receiver.close();
    // A webhook without a secret: the receiver has none either (allowUnsigned with a secret is a setup error).
    receiver = await startReceiver({ vendor: 'autoposting', secret: [], allowUnsigned: true, dedupe: false });
    const accepted = createMockSender({ vendor: 'autoposting', target: receiver.url });
    expect((await accepted.send(accepted.undocumented('token.expired'))).status).toBe(200);
  });

  it('bad fault values are setup errors', async () => {
    const sender = createMockSender({ vendor: 'aidelly', secret: SECRET, target: 'http://127.0.0.1:9/' });
    const e = sender.event('post.created');
    // @ts-expect-error not a fault
    await expect(sender.send(e, { fault: 'flip' })).rejects.toThrow(/unknown fault/);
    await expect(sender.send(e, { fault: { duplicate: 0 } })).rejects.toThrow(/duplicate/);
    await expect(sender.send(e, { fault: { delayMs: -1 } })).rejects.toThrow(/delayMs/);
  });
});
