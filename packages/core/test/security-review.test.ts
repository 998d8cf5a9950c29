// The security review's findings on core semantics (docs/security.md), each reproduced as
// the attack or fault it describes, on both builds (projects core and core-web). Every
// signature and digest here is computed with plain node:crypto, never with our sign().
import { createHash, createHmac } from 'node:crypto';
import { inspect } from 'node:util';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createReceiver, createVerifier, defineVendor, handleWebhook, vendors, verify, type ClaimState, type DedupeStore, type ReceiveResult, type VendorId, type VendorProfile, type VendorRef, type WebhookError } from '@hookproof/core';
import { createWebhookEngine } from '@hookproof/core/adapter';
import { handSigned, NOW_MS, NOW_S, sampleBodies, SECRET, type BuiltIn } from './helpers.js';

const now = () => NOW_MS;
const NEW = 'whsec_new-rotated-secret';
const OLD = 'whsec_old-secret-until-rotation-ends';

function mac(secret: string, content: string): Buffer {
  return createHmac('sha256', secret).update(content).digest();
}

/** `sha256:` + 32 hex digits of SHA-256 over the raw body: the id of an event whose body carries none. */
function bodyDigest(body: string): string {
  return `sha256:${createHash('sha256').update(body).digest('hex').slice(0, 32)}`;
}

/** Every 12-character window of a MAC's hex and base64 forms: what must never show up anywhere. */
function macFragments(m: Buffer): string[] {
  const out: string[] = [];
  for (const text of [m.toString('hex'), m.toString('base64'), m.toString('base64url')]) {
    for (let i = 0; i + 12 <= text.length; i++) out.push(text.slice(i, i + 12));
  }
  return out;
}

function delivery(vendor: BuiltIn, body: string, secret: string, extra: Record<string, string> = {}) {
  return { body: Buffer.from(body), headers: { 'content-type': 'application/json', ...handSigned(vendor, body, secret), ...extra } };
}

const autopostingBody = sampleBodies.autoposting;
const signatureless = { body: Buffer.from(autopostingBody), headers: { 'content-type': 'application/json', 'x-autoposting-timestamp': String(NOW_S) } };

describe('1. a configured secret makes the signature mandatory', () => {
  const fix = /allowUnsigned: true with a secret: .*Either drop the secret while the Autoposting\.ai webhook is unsigned, or drop allowUnsigned once it is signed/;
  const entryPoints: [string, () => unknown][] = [
    ['verify', () => verify({ vendor: 'autoposting', secret: SECRET, allowUnsigned: true, body: autopostingBody, headers: {} })],
    ['verify, rotation list', () => verify({ vendor: 'autoposting', secret: [NEW, OLD], allowUnsigned: true, body: autopostingBody, headers: {} })],
    ['createVerifier', () => createVerifier({ vendor: 'autoposting', secret: SECRET, allowUnsigned: true })],
    ['createReceiver', () => createReceiver({ vendor: 'autoposting', secret: SECRET, allowUnsigned: true })],
    ['createReceiver, secret function', () => createReceiver({ vendor: 'autoposting', secret: async () => SECRET, allowUnsigned: true })],
    ['adapter options (engine)', () => createWebhookEngine({ vendor: 'autoposting', secret: SECRET, allowUnsigned: true }, { name: '@hookproof/express' })],
    ['adapter options, secret function', () => createWebhookEngine({ vendor: 'autoposting', secret: () => SECRET, allowUnsigned: true })],
    ['adapter options, secret map', () => createWebhookEngine({ vendor: 'autoposting', secret: { autoposting: SECRET }, allowUnsigned: true })],
  ];
  it.each(entryPoints)('%s: a setup TypeError naming the fix', (_name, setup) => {
    expect(setup).toThrow(TypeError);
    expect(setup).toThrow(fix);
  });

  it('handleWebhook: rejects with the same TypeError instead of accepting a stripped delivery', async () => {
    const request = new Request('http://localhost/hooks', { method: 'POST', body: autopostingBody, headers: signatureless.headers });
    await expect(handleWebhook(request, { vendor: 'autoposting', secret: SECRET, allowUnsigned: true })).rejects.toThrow(fix);
  });

  it('the attack: with a secret, a delivery whose signature was stripped is refused and the genuine one is still processed', async () => {
    const receiver = createReceiver({ vendor: 'autoposting', secret: SECRET, now });
    const seen: string[] = [];
    receiver.onAny((event) => void seen.push(event.id));
    const forged = await receiver.receive(signatureless);
    expect([forged.status, forged.error?.code]).toEqual([401, 'missing_signature']);
    const genuine = await receiver.receive(delivery('autoposting', autopostingBody, SECRET));
    expect(genuine.status).toBe(200);
    expect(seen).toEqual([(JSON.parse(autopostingBody) as { id: string }).id]);
  });

  it('allowUnsigned without a secret still accepts unsigned deliveries (a webhook created without one)', async () => {
    for (const secret of [undefined, []]) {
      const result = await verify({ vendor: 'autoposting', secret: secret as never, allowUnsigned: true, body: autopostingBody, headers: {} });
      expect(result.ok && result.secretIndex).toBe(-1);
    }
    const engine = createWebhookEngine({ vendor: 'autoposting', allowUnsigned: true, now });
    expect((await engine.handle(signatureless)).next).toBe(true);
  });
});

describe('2. one event, one id, whichever secret matched', () => {
  const bodyVendors = ['aidelly', 'audenci', 'timbrix'] as const;
  const noIdTimbrix = JSON.stringify({ event: 'member.added', timestamp: '2026-01-01T00:00:00Z', data: { memberId: 'm1' } });
  const bodyOf = (vendor: (typeof bodyVendors)[number]) => (vendor === 'timbrix' ? noIdTimbrix : sampleBodies[vendor]);

  it.each(bodyVendors)('%s: signed with the new or the old secret, the id is the SHA-256 of the body', async (vendor) => {
    const body = bodyOf(vendor);
    const ids: string[] = [];
    for (const signer of [NEW, OLD]) {
      const result = await verify({ vendor, secret: [NEW, OLD], body, headers: handSigned(vendor, body, signer) });
      expect(result.ok).toBe(true);
      if (result.ok) ids.push(result.event.id);
    }
    expect(ids).toEqual([bodyDigest(body), bodyDigest(body)]);
  });

  it.each(bodyVendors)('%s: a retry across the rotation switch is a duplicate, and a dual-signed capture is processed once', async (vendor) => {
    const body = bodyOf(vendor);
    const receiver = createReceiver({ vendor, secret: [NEW, OLD], now });
    let runs = 0;
    receiver.onAny(() => void runs++);
    const first = await receiver.receive(delivery(vendor, body, OLD));
    const retry = await receiver.receive(delivery(vendor, body, NEW));
    expect([first.status, retry.status, retry.error?.code, runs]).toEqual([200, 200, 'duplicate', 1]);
  });

  it('the digest id shows like a plain field: in JSON, in util.inspect, and read directly', async () => {
    const body = sampleBodies.aidelly;
    const result = await verify({ vendor: 'aidelly', secret: SECRET, body, headers: handSigned('aidelly', body) });
    if (!result.ok) throw result.error;
    const id = bodyDigest(body);
    expect((JSON.parse(JSON.stringify(result.event)) as { id: string }).id).toBe(id);
    expect(Object.keys(JSON.parse(JSON.stringify(result)) as object)).toEqual(['ok', 'event', 'secretIndex']);
    expect(inspect(result.event)).toContain(id);
    expect([result.event.id, result.event.idSource]).toEqual([id, 'body-digest']);
  });

  it('no id, response body, store key, error or event field carries the MAC or a fragment of it', async () => {
    const shown: string[] = [];
    const keys: string[] = [];
    const store: DedupeStore = {
      claim: (key) => {
        keys.push(key);
        return 'new';
      },
      complete: (key) => void keys.push(key),
      release: (key) => void keys.push(key),
    };
    for (const vendor of [...bodyVendors, 'autoposting'] as const) {
      const body = vendor === 'autoposting' ? JSON.stringify({ event: 'post.failed', timestamp: 't', orgId: 'o', data: {} }) : bodyOf(vendor);
      const receiver = createReceiver({ vendor, secret: [NEW, OLD], now, dedupe: store });
      receiver.onAny(() => {
        throw new Error('handler down');
      });
      receiver.onError((error, event) => void shown.push(error.message, error.hint ?? '', JSON.stringify(error), event?.id ?? ''));
      for (const signer of [NEW, OLD]) {
        const answer = await receiver.receive(delivery(vendor, body, signer));
        shown.push(JSON.stringify(answer.body), JSON.stringify(answer.event), answer.error?.message ?? '');
        const checked = await verify({ vendor, secret: [NEW, OLD], body, headers: handSigned(vendor, body, signer), now });
        shown.push(JSON.stringify(checked));
        // The verified event itself: any field, any depth.
        if (checked.ok) shown.push(...Object.values(checked.event).map((v) => (typeof v === 'string' ? v : JSON.stringify(v) ?? '')));
      }
      const engine = createWebhookEngine({ vendor, secret: [NEW, OLD], now });
      shown.push(JSON.stringify((await engine.handle(delivery(vendor, body, NEW))).body));
    }
    shown.push(...keys);
    const haystack = shown.join('\n');
    expect(keys.length).toBeGreaterThan(0);
    for (const vendor of [...bodyVendors, 'autoposting'] as const) {
      const body = vendor === 'autoposting' ? JSON.stringify({ event: 'post.failed', timestamp: 't', orgId: 'o', data: {} }) : bodyOf(vendor);
      const content = vendor === 'autoposting' ? `${NOW_S}.${body}` : body;
      for (const secret of [NEW, OLD]) {
        for (const fragment of macFragments(mac(secret, content))) expect(haystack).not.toContain(fragment);
      }
    }
  });
});

describe('3. type and id come from what was signed (Autoposting)', () => {
  const noId = JSON.stringify({ event: 'post.published', timestamp: '2026-01-01T00:00:00.000Z', orgId: 'org_1', data: { postId: 'p1' } });
  const noEvent = JSON.stringify({ id: 'evt_no_event', timestamp: '2026-01-01T00:00:00.000Z', orgId: 'org_1', data: {} });

  it('a captured delivery replayed with three made-up delivery ids is processed once; deliveryId stays readable', async () => {
    const receiver = createReceiver({ vendor: 'autoposting', secret: SECRET, now });
    const seen: { id: string; deliveryId: string | undefined }[] = [];
    receiver.onAny((event) => void seen.push({ id: event.id, deliveryId: event.deliveryId }));
    const answers: ReceiveResult<VendorId>[] = [];
    for (const dlv of ['dlv_genuine', 'dlv_replay_1', 'dlv_replay_2']) {
      answers.push(await receiver.receive(delivery('autoposting', noId, SECRET, { 'X-Autoposting-Delivery': dlv })));
    }
    expect(answers.map((a) => [a.status, a.error?.code])).toEqual([[200, undefined], [200, 'duplicate'], [200, 'duplicate']]);
    expect(seen).toEqual([{ id: bodyDigest(noId), deliveryId: 'dlv_genuine' }]);
  });

  it('the unsigned X-Autoposting-Event header never becomes the type: invalid_payload, no handler runs', async () => {
    const receiver = createReceiver({ vendor: 'autoposting', secret: SECRET, now });
    let runs = 0;
    receiver.onAny(() => void runs++);
    const answer = await receiver.receive(delivery('autoposting', noEvent, SECRET, { 'X-Autoposting-Event': 'token.expired' }));
    expect([answer.status, answer.error?.code, runs]).toEqual([400, 'invalid_payload', 0]);
    expect(answer.error?.hint).toMatch(/X-Autoposting-Event header is not signed/);
  });

  it('a signed event name wins over a relabelling header', async () => {
    const result = await verify({ vendor: 'autoposting', secret: SECRET, now, body: noId, headers: { ...handSigned('autoposting', noId), 'X-Autoposting-Event': 'token.expired' } });
    expect(result.ok && [String(result.event.type), result.event.idSource]).toEqual(['post.published', 'body-digest']);
  });
});

describe('8. a store that answers nonsense fails closed', () => {
  const nonsense: unknown[] = ['NEW', 'bogus', '', undefined, null, 1, true, {}];
  it.each(nonsense.map((v) => [inspect(v), v]))('claim() answering %s is 503 store_unavailable, the handler does not run', async (_name, answer) => {
    for (const async of [false, true]) {
      const store: DedupeStore = {
        claim: () => (async ? Promise.resolve(answer as ClaimState) : (answer as ClaimState)),
        complete: () => undefined,
        release: () => undefined,
      };
      const receiver = createReceiver({ vendor: 'timbrix', secret: SECRET, dedupe: store });
      let runs = 0;
      receiver.onAny(() => void runs++);
      const result = await receiver.receive(delivery('timbrix', sampleBodies.timbrix, SECRET));
      expect([result.status, result.error?.code, runs]).toEqual([503, 'store_unavailable', 0]);
    }
  });
});

describe('9. a hung secret provider still gets an answer', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  const hung = () => new Promise<string>(() => undefined);

  it('createReceiver: 503 secret_unavailable after the default 5 s (fake timers), then the next delivery asks again', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    let calls = 0;
    const receiver = createReceiver({
      vendor: 'aidelly',
      now,
      secret: () => (++calls === 1 ? hung() : SECRET),
    });
    let answer: ReceiveResult<VendorId> | undefined;
    void receiver.receive(delivery('aidelly', sampleBodies.aidelly, SECRET)).then((a) => (answer = a));
    await vi.advanceTimersByTimeAsync(4_999);
    expect(answer).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    expect([answer?.status, answer?.error?.code]).toEqual([503, 'secret_unavailable']);
    const next = receiver.receive(delivery('aidelly', sampleBodies.aidelly, SECRET));
    await vi.advanceTimersByTimeAsync(0);
    expect((await next).status).toBe(200);
    expect(calls).toBe(2);
  });

  it('secretTimeoutMs through createReceiver, handleWebhook and the adapters\' engine', async () => {
    const receiver = createReceiver({ vendor: 'aidelly', now, secret: hung, secretTimeoutMs: 20 });
    const a = await receiver.receive(delivery('aidelly', sampleBodies.aidelly, SECRET));
    expect([a.status, a.error?.code]).toEqual([503, 'secret_unavailable']);

    const d = delivery('aidelly', sampleBodies.aidelly, SECRET);
    const response = await handleWebhook(new Request('http://localhost/hooks', { method: 'POST', body: d.body, headers: d.headers }), { vendor: 'aidelly', now, secret: hung, secretTimeoutMs: 20 });
    expect([response.status, ((await response.json()) as { error: string }).error]).toEqual([503, 'secret_unavailable']);

    const engine = createWebhookEngine({ vendor: 'aidelly', now, secret: hung, secretTimeoutMs: 20 });
    const e = await engine.handle(d);
    expect([e.status, e.error?.code]).toEqual([503, 'secret_unavailable']);
  });

  it('a bad secretTimeoutMs is a setup error', () => {
    for (const bad of [0, -1, Number.NaN, '5000']) {
      expect(() => createReceiver({ vendor: 'aidelly', secret: hung, secretTimeoutMs: bad as number })).toThrow(/`secretTimeoutMs` must be a positive number/);
      expect(() => createWebhookEngine({ vendor: 'aidelly', secret: hung, secretTimeoutMs: bad as number })).toThrow(/`secretTimeoutMs` must be a positive number/);
    }
  });
});

describe('10. one secret for two vendors that sign the same content is refused', () => {
  const fix = /sign the raw body alone, so with one secret a delivery captured from one would verify as another\. Give each vendor its own secret: secret: \{ aidelly: /;
  const refused: [string, () => unknown][] = [
    ["'auto' with one string", () => createWebhookEngine({ vendor: 'auto', secret: SECRET })],
    ["'auto' with one rotation list", () => createWebhookEngine({ vendor: 'auto', secret: [NEW, OLD] })],
    ['a list with one string', () => createWebhookEngine({ vendor: ['aidelly', 'timbrix'], secret: SECRET })],
    ['a map giving two of them the same secret', () => createWebhookEngine({ vendor: 'auto', secret: { aidelly: SECRET, audenci: [NEW, SECRET] } })],
  ];
  it.each(refused)('%s: a setup TypeError naming a secret per vendor', (_name, setup) => {
    expect(setup).toThrow(TypeError);
    expect(setup).toThrow(fix);
  });

  it('the profiles decide (signedContent), not a vendor list: a custom body-signing vendor counts too', () => {
    const acme = defineVendor({ ...vendors.timbrix, id: 'acme', signatureHeader: 'X-Acme-Signature' });
    expect(() => createWebhookEngine({ vendor: ['aidelly', acme], secret: SECRET })).toThrow(/aidelly, acme all sign the raw body alone/);
    // Different signed content ("<timestamp>.<body>" against the body): one secret cannot cross over.
    expect(() => createWebhookEngine({ vendor: ['aidelly', 'autoposting'], secret: SECRET })).not.toThrow();
  });

  it('the attack: with a secret per vendor, an Aidelly capture re-sent with Timbrix\'s header is refused', async () => {
    const engine = createWebhookEngine({ vendor: 'auto', secret: { aidelly: 'whsec_aidelly', timbrix: 'whsec_timbrix' }, now });
    const body = sampleBodies.aidelly;
    const captured = mac('whsec_aidelly', body).toString('hex');
    expect((await engine.handle({ body, headers: { 'aidelly-signature': `sha256=${captured}` } })).next).toBe(true);
    const relabelled = await engine.handle({ body, headers: { 'x-webhook-signature': captured } });
    expect([relabelled.status, relabelled.error?.code]).toEqual([401, 'signature_mismatch']);
  });
});

describe('11. custom vendors cannot skip the replay window', () => {
  const base = {
    ...vendors.autoposting,
    id: 'stamped',
    name: 'Stamped',
    signatureHeader: 'X-Stamped-Signature',
    timestampHeader: 'X-Stamped-Timestamp',
    toleranceSec: undefined,
  };
  const body = '{"id":"evt_1","event":"thing.happened"}';
  const yearAgo = String(NOW_S - 365 * 24 * 3600);
  const headers = (ts: string) => ({ 'X-Stamped-Signature': mac(SECRET, `${ts}.${body}`).toString('hex'), 'X-Stamped-Timestamp': ts });

  it('defineVendor with timestamp-signed content and no toleranceSec gets 300 s, marked assumed', () => {
    const stamped = defineVendor(base);
    expect(stamped.toleranceSec).toBe(300);
    expect(stamped.provenance.toleranceSec).toEqual({ assumed: expect.stringContaining('300 s') });
  });

  it('a year-old delivery is refused, through defineVendor or a hand-written profile object', async () => {
    const handWritten = { ...base, provenance: vendors.autoposting.provenance } as VendorProfile;
    for (const vendor of [defineVendor(base), handWritten]) {
      const stale = await verify({ vendor, secret: SECRET, now, body, headers: headers(yearAgo) });
      expect(!stale.ok && stale.error.code).toBe('timestamp_out_of_tolerance');
      const fresh = await verify({ vendor, secret: SECRET, now, body, headers: headers(String(NOW_S - 299)) });
      expect(fresh.ok).toBe(true);
    }
  });

  it('an explicit window still wins', async () => {
    const wide = defineVendor({ ...base, toleranceSec: 400 * 24 * 3600 });
    expect((await verify({ vendor: wide, secret: SECRET, now, body, headers: headers(yearAgo) })).ok).toBe(true);
  });
});

describe('12. vendor ids cannot make dedupe keys collide', () => {
  it('defineVendor refuses an id with ":" (keys are <vendor>:<event id>)', () => {
    expect(() => defineVendor({ ...vendors.timbrix, id: 'acme:eu' })).toThrow(TypeError);
    expect(() => defineVendor({ ...vendors.timbrix, id: 'acme:eu' })).toThrow(/vendor id "acme:eu" contains ":".*e\.g\. "acme-eu"/);
  });

  it('so does every entry point given a hand-written profile', () => {
    const profile = { ...vendors.timbrix, id: 'a:b' } as VendorProfile;
    expect(() => verify({ vendor: profile, secret: SECRET, body: '{}', headers: {} })).toThrow(/contains ":"/);
    expect(() => createReceiver({ vendor: profile as VendorRef, secret: SECRET })).toThrow(/contains ":"/);
    expect(() => createWebhookEngine({ vendor: profile, secret: SECRET })).toThrow(/contains ":"/);
  });
});

describe('13. the secret is not in the receiver object', () => {
  const secretFn = async () => 'whsec_from_the_vault';
  const cases: [string, Parameters<typeof createReceiver>[0], string[]][] = [
    ['a string', { vendor: 'aidelly', secret: SECRET }, [SECRET]],
    ['a rotation list', { vendor: 'aidelly', secret: [NEW, OLD] }, [NEW, OLD]],
    ['a function', { vendor: 'aidelly', secret: secretFn }, ['whsec_from_the_vault', 'async']],
    ['requiredHeaders', { vendor: 'audenci', secret: SECRET, requiredHeaders: { authorization: 'Bearer s3cr3t-token' } }, [SECRET, 's3cr3t-token']],
  ];
  it.each(cases)('%s: neither JSON.stringify nor util.inspect shows it', (_name, options, secrets) => {
    const receiver = createReceiver(options as Parameters<typeof createReceiver>[0]);
    const views = [
      JSON.stringify(receiver),
      JSON.stringify(receiver.options),
      JSON.stringify({ receiver }),
      inspect(receiver),
      inspect(receiver, { showHidden: true, depth: Infinity, getters: true }),
      inspect(receiver.options, { showHidden: true, depth: Infinity }),
      inspect({ nested: [receiver] }, { depth: Infinity }),
      String(Object.keys(receiver.options)),
      JSON.stringify({ ...receiver.options }),
    ];
    for (const view of views) for (const secret of secrets) expect(view).not.toContain(secret);
    expect(inspect(receiver)).toContain('[redacted]');
    expect(JSON.stringify(receiver)).toContain('"vendor"');
  });

  it('the options keep working: the secret is still there for the receiver (and readable on purpose)', async () => {
    const receiver = createReceiver({ vendor: 'aidelly', secret: SECRET, now, maxBodyBytes: 4096 });
    expect(receiver.options.secret).toBe(SECRET);
    expect(receiver.options.maxBodyBytes).toBe(4096);
    expect(Object.isFrozen(receiver.options)).toBe(true);
    expect((await receiver.receive(delivery('aidelly', sampleBodies.aidelly, SECRET))).status).toBe(200);
  });

  it('a WebhookError from a failing secret function does not carry the secret in its message', async () => {
    const receiver = createReceiver({ vendor: 'aidelly', secret: () => '' });
    const errors: WebhookError[] = [];
    receiver.onError((e) => void errors.push(e));
    const answer = await receiver.receive(delivery('aidelly', sampleBodies.aidelly, SECRET));
    expect(answer.error?.code).toBe('secret_unavailable');
    expect(JSON.stringify(answer.body)).not.toContain(SECRET);
  });
});
