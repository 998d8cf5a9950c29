// undocumentedField(): the explicit way to a field a vendor does not document. Verified
// events keep every field that was sent (nothing is stripped at runtime), and reading one
// never throws, whatever the payload holds.
import { undocumentedField, verify } from '@hookproof/core';
import { describe, expect, it } from 'vitest';
import { handSigned, NOW_MS, SECRET } from './helpers.js';

describe('undocumentedField', () => {
  it('reads an own field, or a path of them', () => {
    const payload = { data: { post_id: 'p', campaign: { id: 'c_1', tags: ['a'] } }, extra: 0 };
    expect(undocumentedField(payload, 'extra')).toBe(0);
    expect(undocumentedField(payload, 'data', 'campaign', 'id')).toBe('c_1');
    expect(undocumentedField(payload, 'data', 'campaign', 'tags', '0')).toBe('a');
    expect(undocumentedField(payload, 'data', 'campaign')).toEqual({ id: 'c_1', tags: ['a'] });
  });

  it('is undefined, never a throw, for a missing step, a non-object or an inherited name', () => {
    const payload = { data: { n: 1, s: 'x', nil: null } };
    expect(undocumentedField(payload, 'nope')).toBeUndefined();
    expect(undocumentedField(payload, 'data', 'n', 'deeper')).toBeUndefined();
    expect(undocumentedField(payload, 'data', 's', 'length')).toBeUndefined();
    expect(undocumentedField(payload, 'data', 'nil', 'x')).toBeUndefined();
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) expect(undocumentedField(payload, name), name).toBeUndefined();
    for (const value of [undefined, null, 0, 'str', true]) expect(undocumentedField(value, 'a')).toBeUndefined();
    const parsed: unknown = JSON.parse('{"__proto__": {"polluted": 1}}');
    expect(undocumentedField(parsed, '__proto__', 'polluted')).toBe(1);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('a verified Aidelly delivery keeps the fields its guide does not show', async () => {
    const body = JSON.stringify({
      event: 'post.published',
      workspace_id: 'w',
      brand_id: 'b',
      data: { post_id: 'p', platform: 'linkedin', status: 'completed', published_at: '2026-02-18T17:30:00Z', platform_post_id: 'urn:li:share:1', ad_id: 'ad_9' },
      created_at: '2026-02-18T17:30:02Z',
      trace: { region: 'eu' },
    });
    const result = await verify({ vendor: 'aidelly', body, headers: handSigned('aidelly', body), secret: SECRET, now: () => NOW_MS });
    expect(result.ok).toBe(true);
    if (!result.ok || result.event.type !== 'post.published') return;
    expect(result.event.payload.data.post_id).toBe('p');
    expect(undocumentedField(result.event.payload.data, 'ad_id')).toBe('ad_9');
    expect(undocumentedField(result.event.payload, 'trace', 'region')).toBe('eu');
  });
});
