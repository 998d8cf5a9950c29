// The security review's findings on delivery semantics (docs/security.md), reproduced
// through all seven targets (handleWebhook, express 4/5, koa 2/3, fastify 4/5) in receiver
// mode, and through the six adapters' options mode: the attack, then the fixed answer.
// Signatures and digests come from plain node:crypto (conformance/signing.ts).
import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createReceiver, type ClaimState, type DedupeStore } from '@hookproof/core';
import type { AdapterDriver, Mounted, WireRequest, WireResponse } from '../conformance/driver.js';
import { sample, SECRET, signedHeaders, type Vendor } from '../conformance/signing.js';
import { targets } from './targets.js';

const NEW = 'whsec_review_new_secret';
const adapters = targets.filter((t) => t.packageName !== '@hookproof/core');

function deliveryOf(vendor: Vendor, body: string, secret = SECRET, extra: [string, string][] = []): WireRequest {
  return { body: Buffer.from(body), headers: [['Content-Type', 'application/json'], ...signedHeaders(vendor, body, secret), ...extra] };
}

function bodyDigest(body: string): string {
  return `sha256:${createHash('sha256').update(body).digest('hex').slice(0, 32)}`;
}

/** Every 12-character window of the MAC's hex and base64: none may show in a response. */
function macFragments(secret: string, content: string): string[] {
  const m = createHmac('sha256', secret).update(content).digest();
  const out: string[] = [];
  for (const text of [m.toString('hex'), m.toString('base64')]) for (let i = 0; i + 12 <= text.length; i++) out.push(text.slice(i, i + 12));
  return out;
}

async function withApp<T>(driver: AdapterDriver, webhook: Parameters<AdapterDriver['mount']>[0]['webhook'], fn: (app: Mounted) => Promise<T>): Promise<T> {
  const app = await driver.mount({ webhook });
  try {
    return await fn(app);
  } finally {
    await app.close();
  }
}

const codeOf = (res: WireResponse) => (res.body as { error?: string } | undefined)?.error;

describe.each(targets.map((t) => [t.name, t] as const))('security review through %s (receiver mode)', (_name, driver) => {
  it('2. rotation: the same body signed with the old and the new secret is one event, its id the SHA-256 of the body, no MAC shown', async () => {
    const receiver = createReceiver({ vendor: 'aidelly', secret: [NEW, SECRET] });
    let runs = 0;
    receiver.onAny(() => void runs++);
    const body = sample.aidelly.body;
    await withApp(driver, { receiver: receiver as never }, async (app) => {
      const first = await app.send(deliveryOf('aidelly', body, SECRET));
      const retry = await app.send(deliveryOf('aidelly', body, NEW));
      expect([first.status, first.body]).toEqual([200, { ok: true, id: bodyDigest(body), type: 'post.published' }]);
      expect([retry.status, codeOf(retry)]).toEqual([200, 'duplicate']);
      const shown = first.text + retry.text + JSON.stringify(first.headers) + JSON.stringify(retry.headers);
      for (const secret of [NEW, SECRET]) for (const fragment of macFragments(secret, body)) expect(shown).not.toContain(fragment);
    });
    expect(runs).toBe(1);
  });

  it('3. Autoposting: a capture replayed with made-up X-Autoposting-Delivery ids is processed once; the unsigned event header is no type', async () => {
    const receiver = createReceiver({ vendor: 'autoposting', secret: SECRET });
    const seen: string[] = [];
    receiver.onAny((event) => void seen.push(`${String(event.type)} ${event.id} ${event.deliveryId ?? ''}`));
    const noId = JSON.stringify({ event: 'post.published', timestamp: new Date().toISOString(), orgId: 'org_1', data: {} });
    const noEvent = JSON.stringify({ id: 'evt_review', timestamp: new Date().toISOString(), orgId: 'org_1', data: {} });
    const ts = String(Math.floor(Date.now() / 1000));
    await withApp(driver, { receiver: receiver as never }, async (app) => {
      const answers: WireResponse[] = [];
      for (const dlv of ['dlv_genuine', 'dlv_forged_1', 'dlv_forged_2']) {
        answers.push(await app.send({ body: Buffer.from(noId), headers: [['Content-Type', 'application/json'], ['X-Autoposting-Delivery', dlv], ...signedHeaders('autoposting', noId, SECRET, ts)] }));
      }
      expect(answers.map((a) => [a.status, codeOf(a)])).toEqual([[200, undefined], [200, 'duplicate'], [200, 'duplicate']]);
      const relabelled = await app.send({ body: Buffer.from(noEvent), headers: [['Content-Type', 'application/json'], ['X-Autoposting-Event', 'token.expired'], ...signedHeaders('autoposting', noEvent, SECRET, ts)] });
      expect([relabelled.status, codeOf(relabelled)]).toEqual([400, 'invalid_payload']);
    });
    expect(seen).toEqual([`post.published ${bodyDigest(noId)} dlv_genuine`]);
  });

  it('8. a dedupe store answering nonsense fails closed: 503 store_unavailable, no handler runs', async () => {
    for (const answer of ['NEW', undefined, 1] as unknown[]) {
      const store: DedupeStore = { claim: () => Promise.resolve(answer as ClaimState), complete: () => undefined, release: () => undefined };
      const receiver = createReceiver({ vendor: 'timbrix', secret: SECRET, dedupe: store });
      let runs = 0;
      receiver.onAny(() => void runs++);
      await withApp(driver, { receiver: receiver as never }, async (app) => {
        const res = await app.send(deliveryOf('timbrix', sample.timbrix.body));
        expect([res.status, codeOf(res)]).toEqual([503, 'store_unavailable']);
      });
      expect(runs).toBe(0);
    }
  });

  it('9. a secret function that never settles is answered 503 secret_unavailable after secretTimeoutMs', async () => {
    const receiver = createReceiver({ vendor: 'aidelly', secret: () => new Promise<string>(() => undefined), secretTimeoutMs: 50 });
    await withApp(driver, { receiver: receiver as never }, async (app) => {
      const started = performance.now();
      const res = await app.send(deliveryOf('aidelly', sample.aidelly.body));
      expect([res.status, codeOf(res)]).toEqual([503, 'secret_unavailable']);
      expect(performance.now() - started).toBeLessThan(5_000);
    });
  });
});

describe.each(adapters.map((t) => [t.name, t] as const))('security review through %s (options mode)', (_name, driver) => {
  const escaped = driver.packageName.replace(/[/.]/g, (c) => `\\${c}`);

  it('1. allowUnsigned with a secret fails at mount time, naming the fix', async () => {
    await expect(Promise.resolve().then(() => driver.mount({ webhook: { vendor: 'autoposting', secret: SECRET, allowUnsigned: true } }))).rejects.toThrow(
      new RegExp(`^${escaped}: allowUnsigned: true with a secret`),
    );
  });

  it('1. without allowUnsigned, a delivery with its signature header stripped is 401', async () => {
    await withApp(driver, { vendor: 'autoposting', secret: SECRET }, async (app) => {
      const res = await app.send({ body: Buffer.from(sample.autoposting.body), headers: [['Content-Type', 'application/json'], ['X-Autoposting-Timestamp', String(Math.floor(Date.now() / 1000))]] });
      expect([res.status, codeOf(res)]).toEqual([401, 'missing_signature']);
    });
  });

  it("10. 'auto' with one secret fails at mount time; with a secret per vendor an Aidelly capture re-sent as Timbrix is 401", async () => {
    await expect(Promise.resolve().then(() => driver.mount({ webhook: { vendor: 'auto', secret: SECRET } }))).rejects.toThrow(
      new RegExp(`^${escaped}: aidelly, audenci, timbrix all sign the raw body alone.*Give each vendor its own secret`),
    );
    const body = sample.aidelly.body;
    const captured = createHmac('sha256', 'whsec_aidelly').update(body).digest('hex');
    await withApp(driver, { vendor: 'auto', secret: { aidelly: 'whsec_aidelly', timbrix: 'whsec_timbrix' } }, async (app) => {
      expect((await app.send({ body: Buffer.from(body), headers: [['Content-Type', 'application/json'], ['Aidelly-Signature', `sha256=${captured}`]] })).status).toBe(200);
      const relabelled = await app.send({ body: Buffer.from(body), headers: [['Content-Type', 'application/json'], ['X-Webhook-Signature', captured]] });
      expect([relabelled.status, codeOf(relabelled)]).toEqual([401, 'signature_mismatch']);
    });
  });

  it('9. options mode: a hung secret function is 503 secret_unavailable after secretTimeoutMs', async () => {
    await withApp(driver, { vendor: 'aidelly', secret: () => new Promise<string>(() => undefined), secretTimeoutMs: 50 }, async (app) => {
      const res = await app.send(deliveryOf('aidelly', sample.aidelly.body));
      expect([res.status, codeOf(res)]).toEqual([503, 'secret_unavailable']);
    });
  });
});
