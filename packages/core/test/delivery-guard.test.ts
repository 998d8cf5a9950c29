// allowIps / trustProxy / Content-Encoding: the transport checks before verification,
// through the receiver, handleWebhook and the adapters' engine.
import { describe, expect, it } from 'vitest';
import { createReceiver, handleWebhook } from '@hookproof/core';
import { createWebhookEngine } from '@hookproof/core/adapter';
import { handSigned, NOW_MS, sampleBodies, SECRET } from './helpers.js';

const now = () => NOW_MS;
const body = sampleBodies.timbrix;
const signed = handSigned('timbrix', body);

function receiverWith(options: { allowIps?: readonly string[]; trustProxy?: number | readonly string[] | false }) {
  return createReceiver({ vendor: 'timbrix', secret: SECRET, now, dedupe: false, ...options });
}

async function statusFrom(allowIps: readonly string[], remoteAddress: string | undefined, extra: Record<string, string> = {}, trustProxy?: number | readonly string[]) {
  const receiver = receiverWith({ allowIps, ...(trustProxy === undefined ? {} : { trustProxy }) });
  const result = await receiver.receive({ body, headers: { ...signed, ...extra }, remoteAddress });
  return result.status;
}

describe('allowIps', () => {
  const cases: [string[], string, number][] = [
    [['203.0.113.0/24'], '203.0.113.7', 200],
    [['203.0.113.0/24'], '203.0.114.7', 403],
    [['203.0.113.0/24'], '::ffff:203.0.113.7', 200], // Node's form on a dual-stack socket
    [['203.0.113.7'], '203.0.113.7', 200],
    [['203.0.113.7'], '203.0.113.8', 403],
    [['10.0.0.0/8'], '10.255.255.255', 200],
    [['10.0.0.0/8'], '11.0.0.0', 403],
    [['0.0.0.0/0'], '198.51.100.1', 200],
    [['0.0.0.0/0'], '2001:db8::1', 403], // an IPv4 range never matches a plain IPv6 peer
    [['2001:db8::/32'], '2001:db8:ffff::1', 200],
    [['2001:db8::/32'], '2001:db9::1', 403],
    [['2001:db8::/32'], '2001:DB8::1', 200],
    [['fe80::/10'], 'fe80::1%eth0', 200],
    [['::1'], '::1', 200],
    [['::1'], '127.0.0.1', 403],
    [['2001:db8::/127'], '2001:db8::1', 200],
    [['2001:db8::/128'], '2001:db8::1', 403],
    [['::ffff:0:0/96'], '192.0.2.1', 200],
    [['1.2.3.4'], 'not-an-ip', 403],
    [['1.2.3.4'], '01.2.3.4', 403], // octal-looking: refused, never guessed
    [['1.2.3.4'], '1.2.3.4.5', 403],
    [['1.2.3.4'], '1:2:3:4:5:6:7:8:9', 403],
    [['1.2.3.4'], '1::2::3', 403],
  ];
  for (const [allow, peer, want] of cases) {
    it(`${JSON.stringify(allow)} with peer ${peer} -> ${want}`, async () => {
      expect(await statusFrom(allow, peer)).toBe(want);
    });
  }

  it('answers 403 forbidden_ip without the address list, and fails closed when no address is passed', async () => {
    const receiver = receiverWith({ allowIps: ['203.0.113.0/24'] });
    const denied = await receiver.receive({ body, headers: signed, remoteAddress: '198.51.100.9' });
    expect(denied.status).toBe(403);
    expect(denied.body).toEqual({ error: 'forbidden_ip', message: expect.any(String) });
    expect(JSON.stringify(denied.body)).not.toContain('203.0.113');
    const unknown = await receiver.receive({ body, headers: signed });
    expect(unknown.status).toBe(403);
    expect(unknown.error?.hint).toMatch(/remoteAddress/);
  });

  it('checks the address before the signature: a forbidden peer with a bad signature is still 403', async () => {
    expect(await statusFrom(['203.0.113.0/24'], '198.51.100.9', { 'X-Webhook-Signature': '00'.repeat(32) })).toBe(403);
  });

  it('rejects bad lists at setup', () => {
    expect(() => receiverWith({ allowIps: [] })).toThrow(/allowIps.*empty/);
    expect(() => receiverWith({ allowIps: ['10.0.0.0/33'] })).toThrow(TypeError);
    expect(() => receiverWith({ allowIps: ['2001:db8::/129'] })).toThrow(TypeError);
    expect(() => receiverWith({ allowIps: ['example.com'] })).toThrow(/not an IP address/);
    expect(() => receiverWith({ allowIps: '10.0.0.0/8' as unknown as string[] })).toThrow(/array/);
    expect(() => receiverWith({ allowIps: ['10.0.0.0/8'], trustProxy: true as unknown as number })).toThrow(/trustProxy: true/);
    expect(() => receiverWith({ allowIps: ['10.0.0.0/8'], trustProxy: -1 })).toThrow(/trustProxy/);
    expect(() => receiverWith({ allowIps: ['10.0.0.0/8'], trustProxy: ['nope'] })).toThrow(/trustProxy/);
  });
});

describe('trustProxy and X-Forwarded-For', () => {
  const allow = ['203.0.113.0/24'];
  const proxy = '10.0.0.2';

  it('ignores X-Forwarded-For unless trustProxy is set', async () => {
    expect(await statusFrom(allow, proxy, { 'X-Forwarded-For': '203.0.113.7' })).toBe(403);
    expect(await statusFrom(allow, '198.51.100.1', { 'X-Forwarded-For': '203.0.113.7' })).toBe(403);
  });

  it('with a hop count, reads the entry that many hops from the socket', async () => {
    expect(await statusFrom(allow, proxy, { 'X-Forwarded-For': '203.0.113.7' }, 1)).toBe(200);
    // A client-forged entry to the left of the real one does not help.
    expect(await statusFrom(allow, proxy, { 'X-Forwarded-For': '203.0.113.7, 198.51.100.1' }, 1)).toBe(403);
    expect(await statusFrom(allow, proxy, { 'X-Forwarded-For': '203.0.113.7, 10.0.0.1' }, 2)).toBe(200);
    // trustProxy: 0 is the socket address.
    expect(await statusFrom(allow, proxy, { 'X-Forwarded-For': '203.0.113.7' }, 0)).toBe(403);
  });

  it('with proxy ranges, walks from the right past trusted proxies only', async () => {
    const proxies = ['10.0.0.0/8'];
    expect(await statusFrom(allow, proxy, { 'X-Forwarded-For': '203.0.113.7' }, proxies)).toBe(200);
    expect(await statusFrom(allow, proxy, { 'X-Forwarded-For': '203.0.113.7, 10.1.1.1, 10.2.2.2' }, proxies)).toBe(200);
    expect(await statusFrom(allow, proxy, { 'X-Forwarded-For': '203.0.113.7, 198.51.100.1' }, proxies)).toBe(403);
    // The socket is not a trusted proxy: the header is not read at all.
    expect(await statusFrom(allow, '198.51.100.1', { 'X-Forwarded-For': '203.0.113.7' }, proxies)).toBe(403);
    // Ports, brackets and empty entries as some proxies write them.
    expect(await statusFrom(allow, proxy, { 'X-Forwarded-For': '203.0.113.7:4711, ,' }, proxies)).toBe(200);
    expect(await statusFrom(['2001:db8::/32'], proxy, { 'X-Forwarded-For': '[2001:db8::5]:443' }, proxies)).toBe(200);
    // Repeated header lines count as one list, in order.
    const receiver = receiverWith({ allowIps: allow, trustProxy: proxies });
    const repeated = await receiver.receive({ body, headers: { ...signed, 'x-forwarded-for': ['198.51.100.1', '203.0.113.7'] }, remoteAddress: proxy });
    expect(repeated.status).toBe(200);
  });

  it('stays linear on a 16 KB X-Forwarded-For of trusted-looking entries', async () => {
    const xff = Array.from({ length: 1500 }, () => '10.9.9.9').join(',');
    const receiver = receiverWith({ allowIps: allow, trustProxy: ['10.0.0.0/8'] });
    const result = await receiver.receive({ body, headers: { ...signed, 'X-Forwarded-For': xff }, remoteAddress: proxy });
    // The left-most entry is a trusted proxy too, so it is taken as the client: not allowed.
    expect(result.status).toBe(403);
  });
});

describe('Content-Encoding', () => {
  it('refuses compressed bodies with 415 unsupported_encoding, before the signature is checked', async () => {
    const receiver = receiverWith({});
    for (const coding of ['gzip', 'deflate', 'br', 'GZIP', 'gzip, identity']) {
      const result = await receiver.receive({ body, headers: { ...signed, 'Content-Encoding': coding } });
      expect(result.status, coding).toBe(415);
      expect(result.body).toEqual({ error: 'unsupported_encoding', message: expect.any(String) });
    }
  });

  it('accepts identity and an absent header', async () => {
    const receiver = receiverWith({});
    expect((await receiver.receive({ body, headers: { ...signed, 'Content-Encoding': 'identity' } })).status).toBe(200);
    expect((await receiver.receive({ body, headers: signed })).status).toBe(200);
  });

  it('applies to the options engine and handleWebhook alike', async () => {
    const engine = createWebhookEngine({ vendor: 'timbrix', secret: SECRET, now });
    const viaEngine = await engine.handle({ body, headers: { ...signed, 'content-encoding': 'gzip' } });
    expect(viaEngine.status).toBe(415);
    const request = new Request('http://127.0.0.1/hooks', { method: 'POST', body, headers: { ...signed, 'Content-Encoding': 'deflate' } });
    const viaFetch = await handleWebhook(request, { vendor: 'timbrix', secret: SECRET, now });
    expect(viaFetch.status).toBe(415);
  });
});

describe('the options engine and handleWebhook with allowIps', () => {
  it('engine.handle checks remoteAddress', async () => {
    const engine = createWebhookEngine({ vendor: 'timbrix', secret: SECRET, now, allowIps: ['127.0.0.1'] });
    expect((await engine.handle({ body, headers: signed, remoteAddress: '127.0.0.1' })).next).toBe(true);
    const denied = await engine.handle({ body, headers: signed, remoteAddress: '127.0.0.2' });
    expect([denied.next, denied.status, (denied.body as { error: string }).error]).toEqual([false, 403, 'forbidden_ip']);
  });

  it('handleWebhook takes the address as its third argument', async () => {
    const options = { vendor: 'timbrix' as const, secret: SECRET, now, allowIps: ['2001:db8::/32'] };
    const send = (remoteAddress?: string) =>
      handleWebhook(new Request('http://127.0.0.1/hooks', { method: 'POST', body, headers: signed }), options, { remoteAddress });
    expect((await send('2001:db8::9')).status).toBe(200);
    expect((await send('2001:db9::9')).status).toBe(403);
    expect((await send()).status).toBe(403);
  });

  it('setup: unknown-option help knows the new names, and receiver-only ones point to createReceiver', () => {
    expect(() => createWebhookEngine({ vendor: 'timbrix', secret: SECRET, allowIp: [] } as never)).toThrow(/allowIps/);
    expect(() => createWebhookEngine({ vendor: 'timbrix', secret: SECRET, handlerTimeoutMs: 5 } as never)).toThrow(/createReceiver/);
    expect(() => createWebhookEngine({ vendor: 'timbrix', secret: SECRET, bodyTimeoutMs: -1 })).toThrow(/bodyTimeoutMs/);
  });
});
