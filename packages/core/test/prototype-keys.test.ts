import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { verify } from '@hookproof/core';

// Keys that would pollute prototypes in a handler that deep-merges the payload must
// never reach it, however the sender spells them in JSON (a `\u` escape parses to the
// same key as the literal word).
const SECRET = 'whsec_prototype_keys_test';
const sig = (body: string) => `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`;
const own = (o: unknown, key: string) => Object.prototype.hasOwnProperty.call(o, key);

async function payloadOf(body: string): Promise<Record<string, unknown>> {
  const r = await verify({ vendor: 'aidelly', secret: SECRET, body, headers: { 'aidelly-signature': sig(body) } });
  if (!r.ok) throw r.error;
  return r.event.payload as Record<string, unknown>;
}

describe('prototype-polluting keys', () => {
  const spellings = {
    literal: '"__proto__"',
    'escaped first char': '"\\u005f_proto__"',
    'escaped middle char': '"__pr\\u006fto__"',
    'fully escaped': `"${[...'__proto__'].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('')}"`,
  };
  for (const [name, key] of Object.entries(spellings)) {
    it(`drops __proto__ written ${name}`, async () => {
      const body = `{"event":"post.published","data":{${key}:{"polluted":true},"keep":1}}`;
      // Independent check that the spelling really parses to the dangerous key.
      expect(own((JSON.parse(body) as { data: object }).data, '__proto__')).toBe(true);
      const data = (await payloadOf(body))['data'] as Record<string, unknown>;
      expect(own(data, '__proto__')).toBe(false);
      expect(data['keep']).toBe(1);
    });
  }

  it('drops constructor.prototype written literally', async () => {
    const body = '{"event":"post.published","data":{"constructor":{"prototype":{"polluted":true}},"keep":1}}';
    const data = (await payloadOf(body))['data'] as Record<string, unknown>;
    expect(own(data, 'constructor')).toBe(false);
    expect(data['keep']).toBe(1);
  });

  it('drops constructor.prototype with "prototype" escaped', async () => {
    const body = '{"event":"post.published","data":{"constructor":{"pr\\u006ftotype":{"polluted":true}}}}';
    const data = (await payloadOf(body))['data'] as Record<string, unknown>;
    expect(own(data, 'constructor')).toBe(false);
  });

  it('drops constructor.prototype written with escapes', async () => {
    const body = '{"event":"post.published","data":{"c\\u006fnstructor":{"prototype":{"polluted":true}}}}';
    const data = (await payloadOf(body))['data'] as Record<string, unknown>;
    expect(own(data, 'constructor')).toBe(false);
  });

  it('keeps a plain "constructor" string field and ordinary escapes', async () => {
    const body = '{"event":"post.published","data":{"constructor":"Ada","caption":"caf\\u00e9"}}';
    const data = (await payloadOf(body))['data'] as Record<string, unknown>;
    expect(data['constructor']).toBe('Ada');
    expect(data['caption']).toBe('café');
  });
});
