import { describe, expect, it } from 'vitest';
import { defineVendor, sign, undocumentedField, vendorIds, vendors, verify, type TimbrixEvents, type VendorId } from '@hookproof/core';
import { createMockSender } from '@hookproof/mock-sender';

const SECRET = 'whsec_events';
const START = Date.UTC(2026, 1, 18, 17, 30, 2);
const ISO_S = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const UUID4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;
const CUID = /^c[0-9a-z]{24}$/;

const make = <V extends VendorId>(vendor: V, seed: number | string = 42) => createMockSender({ vendor, secret: SECRET, seed, startAt: START });

/** The documented envelope keys, in the order of each vendor's example (Timbrix: assumed). */
const envelopeKeys: Record<VendorId, string[]> = {
  autoposting: ['id', 'event', 'timestamp', 'orgId', 'data'],
  aidelly: ['event', 'workspace_id', 'brand_id', 'data', 'created_at'],
  audenci: ['event', 'timestamp', 'data', 'organizationId', 'brandId'],
  timbrix: ['id', 'event', 'timestamp', 'data'],
  // Standard Webhooks specification, "Payload structure".
  'standard-webhooks': ['type', 'timestamp', 'data'],
};

describe('every documented event of every vendor', () => {
  for (const vendor of vendorIds) {
    for (const type of vendors[vendor].events) {
      it(`${vendor} ${type}: documented envelope, serialised once, verifies with core as ${type}`, async () => {
        const sender = make(vendor);
        const event = sender.event(type as never);
        expect(event.type).toBe(type);
        expect(event.documented).toBe(true);
        expect(Object.keys(event.payload as object)).toEqual(envelopeKeys[vendor]);
        expect(new TextDecoder().decode(event.bytes)).toBe(event.body);
        expect(JSON.parse(event.body)).toEqual(event.payload);
        expect(Object.isFrozen(event.payload)).toBe(true);
        const headers = await sign({ vendor, body: event.bytes, secret: SECRET, timestamp: START / 1000 });
        const result = await verify({ vendor, body: event.bytes, headers, secret: SECRET, now: () => START });
        expect(result.ok && result.event.type).toBe(type);
        expect(result.ok && result.event.documented).toBe(true);
      });
    }
  }
});

describe('realistic, documented content', () => {
  it("Aidelly post.published has every field of the guide's payload example, with its formats", () => {
    const p = make('aidelly').event('post.published').payload;
    expect(p.workspace_id).toMatch(UUID4);
    expect(p.brand_id).toMatch(UUID4);
    expect(p.created_at).toBe('2026-02-18T17:30:02Z');
    expect(p.data).toEqual({
      post_id: expect.stringMatching(UUID4),
      platform: 'linkedin',
      status: 'completed',
      published_at: '2026-02-18T17:30:00Z',
      platform_post_id: expect.stringMatching(/^urn:li:share:\d{19}$/),
    });
  });

  it('Aidelly events other than post.published carry only the post identity (nothing invented)', () => {
    const p = make('aidelly').event('post.canceled').payload;
    expect(Object.keys(p.data).sort()).toEqual(['platform', 'post_id']);
  });

  it("Audenci post.published follows the help page's example (cuid ids, platforms, platformResults); no userId", () => {
    const p = make('audenci').event('post.published').payload;
    expect(p.organizationId).toMatch(CUID);
    expect(p.brandId).toMatch(CUID);
    expect(p.timestamp).toMatch(ISO_S);
    expect(p.data.postId).toMatch(CUID);
    expect(typeof p.data.title).toBe('string');
    expect(p.data.platforms.length).toBeGreaterThan(0);
    expect(p.data.platforms.every((x) => x === 'instagram' || x === 'facebook')).toBe(true);
    expect(Object.keys(p.data.platformResults).sort()).toEqual([...p.data.platforms].sort());
    for (const r of Object.values(p.data.platformResults)) expect(r).toEqual({ success: true, postId: expect.stringMatching(/^\d+(_\d+)?$/) });
    expect(Date.parse(p.data.scheduledFor)).toBeLessThan(START);
    expect('userId' in p).toBe(false);
  });

  it('Audenci events whose object the seed never shows have empty data', () => {
    expect(make('audenci').event('campaign.started').payload.data).toEqual({});
    expect(make('audenci').event('follower.milestone').payload.data).toEqual({});
  });

  it('Autoposting ids are evt_ + ULID whose time part is the event time; data is empty (undocumented)', () => {
    const p = make('autoposting').event('clip.render.completed').payload;
    expect(p.id).toMatch(/^evt_/);
    const ulid = p.id.slice(4);
    expect(ulid).toMatch(ULID);
    const time = [...ulid.slice(0, 10)].reduce((acc, c) => acc * 32 + '0123456789ABCDEFGHJKMNPQRSTVWXYZ'.indexOf(c), 0);
    expect(time).toBe(START);
    expect(p.timestamp).toBe('2026-02-18T17:30:02Z');
    expect(p.data).toEqual({});
  });

  it('Timbrix: the assumed { event, timestamp, data } plus the id core reads when present', () => {
    const sender = make('timbrix');
    const a = sender.event('oauth_app.revoked').payload;
    expect(a).toEqual({ id: expect.stringMatching(UUID4), event: 'oauth_app.revoked', timestamp: '2026-02-18T17:30:02Z', data: {} });
    // Two events of one type in the same second are still two events.
    expect(sender.event('oauth_app.revoked').payload.id).not.toBe(a.id);
    expect('id' in sender.event('oauth_app.revoked', { id: undefined }).payload).toBe(false);
  });

  it('a profile that renames the type field changes what the mock writes', async () => {
    const kind = defineVendor<TimbrixEvents, 'timbrix'>({ ...vendors.timbrix, typeFields: ['type'] });
    const sender = createMockSender({ vendor: kind, secret: SECRET });
    const event = sender.event('member.added');
    expect(event.payload).toMatchObject({ type: 'member.added' });
    expect('event' in (event.payload as object)).toBe(false);
  });

  it('a vendor of your own (defineVendor) gets an envelope from its profile fields', () => {
    const acme = defineVendor<{ 'thing.done': { id: string; kind: 'thing.done'; at: string; data: object } }, 'acme'>({
      ...vendors.timbrix,
      id: 'acme',
      name: 'Acme',
      docsUrl: 'https://example.com',
      typeFields: ['kind'],
      idField: 'id',
      timeField: 'at',
      events: ['thing.done'],
    });
    const payload = createMockSender({ vendor: acme, secret: SECRET, startAt: START }).event('thing.done').payload;
    expect(payload).toEqual({ id: expect.stringMatching(/^evt_/), kind: 'thing.done', at: '2026-02-18T17:30:02Z', data: {} });
  });
});

describe('deterministic for a seed', () => {
  it('the same seed, start time and calls give the same bytes; another seed does not', () => {
    const a = make('audenci', 1234);
    const b = make('audenci', 1234);
    const c = make('audenci', 1235);
    const seq = (s: ReturnType<typeof make<'audenci'>>) => [s.event('post.published').body, s.event('post.created').body, s.undocumented('x.y').body];
    const first = seq(a);
    expect(seq(b)).toEqual(first);
    expect(seq(c)).not.toEqual(first);
    expect(new Set(first).size).toBe(3);
  });

  it('string seeds work; the seed in use is reported (random when none is given)', () => {
    expect(make('aidelly', 'my-test').event('post.created').body).toBe(make('aidelly', 'my-test').event('post.created').body);
    const s = createMockSender({ vendor: 'aidelly', secret: SECRET });
    expect(Number.isInteger(s.seed)).toBe(true);
    const again = createMockSender({ vendor: 'aidelly', secret: SECRET, seed: s.seed, startAt: s.now() });
    expect(again.event('post.failed').body).toBe(
      createMockSender({ vendor: 'aidelly', secret: SECRET, seed: s.seed, startAt: s.now() }).event('post.failed').body,
    );
  });
});

describe('overrides', () => {
  it('deep-merge into the envelope; arrays are replaced; undefined removes a field', () => {
    const e = make('audenci').event('post.published', {
      brandId: 'clx456def',
      data: { title: 'Summer Sale Announcement', platforms: ['instagram'] },
      userId: 'user_1',
    });
    expect(e.payload.brandId).toBe('clx456def');
    expect(e.payload.data.title).toBe('Summer Sale Announcement');
    expect(e.payload.data.platforms).toEqual(['instagram']);
    expect(typeof e.payload.data.postId).toBe('string');
    expect(e.payload.userId).toBe('user_1');
    expect(JSON.parse(e.body)).toEqual(e.payload);
    const removed = make('aidelly').event('post.published', { data: { platform_post_id: undefined } });
    expect('platform_post_id' in removed.payload.data).toBe(false);
  });

  it('open data objects take extra fields (the docs show none for Autoposting)', () => {
    const e = make('autoposting').event('post.published', { data: { postId: 'post_1', platform: 'linkedin' } });
    expect(e.payload.data).toEqual({ postId: 'post_1', platform: 'linkedin' });
  });

  it('undocumentedFields: sent as given after the typed overrides, read back with undocumentedField()', async () => {
    const e = make('aidelly').event('post.published', { data: { platform: 'x' } }, { undocumentedFields: { data: { ad_id: 'ad_1', platform: 'linkedin' }, trace: [1] } });
    expect(e.documented).toBe(true);
    expect(JSON.parse(e.body)).toMatchObject({ data: { ad_id: 'ad_1', platform: 'linkedin', post_id: expect.stringMatching(UUID4) }, trace: [1] });
    expect(undocumentedField(e.payload.data, 'ad_id')).toBe('ad_1');
    // Core keeps them: a verified event carries every field that was sent.
    const headers = await sign({ vendor: 'aidelly', body: e.bytes, secret: SECRET });
    const result = await verify({ vendor: 'aidelly', body: e.bytes, headers, secret: SECRET });
    expect(result.ok && result.event.documented).toBe(true);
    expect(result.ok && result.event.type === 'post.published' && undocumentedField(result.event.payload, 'data', 'ad_id')).toBe('ad_1');
    expect(result.ok && undocumentedField(result.event.payload, 'trace')).toEqual([1]);
    expect(() => make('aidelly').event('post.created', {}, 'x' as never)).toThrow(/undocumentedFields/);
  });

  it('non-object overrides are a setup error', () => {
    expect(() => make('aidelly').event('post.created', 'x' as never)).toThrow(/plain object/);
  });
});

describe('undocumented events and raw bodies (escape hatches)', () => {
  it("Autoposting's post.partial: the vendor envelope, flagged undocumented, delivered as such by core", async () => {
    const sender = make('autoposting');
    const e = sender.undocumented('post.partial', { data: { failedPlatforms: ['x'] } });
    expect(e.documented).toBe(false);
    expect(e.payload).toMatchObject({ event: 'post.partial', data: { failedPlatforms: ['x'] } });
    const headers = await sign({ vendor: 'autoposting', body: e.bytes, secret: SECRET, timestamp: START / 1000 });
    const result = await verify({ vendor: 'autoposting', body: e.bytes, headers, secret: SECRET, now: () => START });
    expect(result.ok && result.event.documented).toBe(false);
    expect(result.ok && result.event.type).toBe('post.partial');
  });

  it('event() refuses undocumented names and undocumented() refuses documented ones, naming the other', () => {
    const sender = make('autoposting');
    // @ts-expect-error not a documented Autoposting event
    expect(() => sender.event('post.partial')).toThrow(/sender.undocumented/);
    expect(() => sender.undocumented('post.published')).toThrow(/sender.event/);
  });

  it('raw() sends any bytes as they are', () => {
    const e = make('aidelly').raw(new Uint8Array([0x7b, 0x7d]), { type: 'post.created' });
    expect([...e.bytes]).toEqual([0x7b, 0x7d]);
    expect(e.payload).toBeUndefined();
  });
});

describe('setup errors', () => {
  it('unknown vendor, missing secret, custom headers where a profile rules them out', () => {
    expect(() => createMockSender({ vendor: 'nope' as VendorId, secret: SECRET })).toThrow(/vendor/);
    expect(() => createMockSender({ vendor: 'aidelly' })).toThrow(/signs every delivery/);
    expect(() => createMockSender({ vendor: 'aidelly', secret: '' })).toThrow(/non-empty/);
    const none = defineVendor({ ...vendors.aidelly, customHeaders: false, provenance: { customHeaders: { documented: 'Acme docs: no custom headers' } } });
    expect(() => createMockSender({ vendor: none, secret: SECRET, headers: { Authorization: 'Bearer x' } })).toThrow(/does not let users add delivery headers \(Acme docs: no custom headers\)/);
    expect(() => createMockSender({ vendor: 'audenci', secret: SECRET, headers: { Authorization: 'Bearer x' } })).not.toThrow();
    expect(() => createMockSender({ vendor: 'autoposting' })).not.toThrow();
    expect(() => createMockSender({ vendor: 'timbrix' })).not.toThrow();
  });
});

describe('custom delivery headers', () => {
  // Audenci documents them; Aidelly, Autoposting and Timbrix do not say either way, so the
  // mock does not refuse them on an assumption: a test can send what the app expects.
  it.each([['audenci'], ['aidelly'], ['autoposting'], ['timbrix']] as const)('%s: headers are sent on the delivery', async (vendor) => {
    const seen: Headers[] = [];
    const sender = createMockSender({
      vendor,
      secret: SECRET,
      headers: { Authorization: 'Bearer token_1' },
      target: (request: Request) => {
        seen.push(request.headers);
        return new Response('ok');
      },
    });
    const type = vendors[vendor].events[0]!;
    const result = await sender.send(sender.event(type as never));
    expect(result.status).toBe(200);
    expect(seen[0]!.get('authorization')).toBe('Bearer token_1');
  });
});
