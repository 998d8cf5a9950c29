import { describe, expect, it } from 'vitest';
import { runtimeCrypto, verify } from '@hookproof/core';
import { configuredSecret, hmacHex, vectorFile } from './helpers.js';

describe('runtime', () => {
  it('runs on the crypto port this project is meant to test', () => {
    expect(runtimeCrypto.runtime).toBe(process.env.HOOKPROOF_EXPECT_RUNTIME);
  });
});

describe('conformance vectors (fixtures/signatures.json)', () => {
  it('the fixture holds vectors for all four vendors', () => {
    const vendors = new Set(vectorFile.vectors.map((v) => v.vendor));
    expect([...vendors].sort()).toEqual(['aidelly', 'audenci', 'autoposting', 'timbrix']);
    expect(vectorFile.vectors.length).toBeGreaterThanOrEqual(60);
  });

  for (const v of vectorFile.vectors) {
    it(`${v.vendor}: ${v.name}`, async () => {
      const result = await verify({
        vendor: v.vendor,
        body: v.body,
        headers: v.headers,
        secret: configuredSecret(v),
        now: () => v.nowMs,
        ...v.options,
      });
      expect(result.ok).toBe(v.expect.ok);
      if (result.ok) {
        expect(result.event.type).toBe(v.expect.type);
        expect(result.event.vendor).toBe(v.vendor);
        expect(result.event.raw).toBe(v.body);
        if (v.expect.secretIndex !== undefined) expect(result.secretIndex).toBe(v.expect.secretIndex);
      } else {
        if (v.expect.code !== undefined) expect(result.error.code).toBe(v.expect.code);
        if (v.expect.status !== undefined) expect(result.error.status).toBe(v.expect.status);
        // Nothing secret leaks into what a peer sees.
        const shown = JSON.stringify(result.error.toJSON());
        for (const s of [v.secret].flat()) expect(shown).not.toContain(s);
        const secrets = [v.secret].flat();
        const ts = v.headers['X-Autoposting-Timestamp'];
        for (const s of secrets) expect(shown).not.toContain(hmacHex(s, ts ? `${ts}.${v.body}` : v.body));
      }
    });
  }

  it('the same verdicts hold with the body as bytes', async () => {
    for (const v of vectorFile.vectors) {
      const result = await verify({
        vendor: v.vendor,
        body: new TextEncoder().encode(v.body),
        headers: v.headers,
        secret: configuredSecret(v),
        now: () => v.nowMs,
        ...v.options,
      });
      expect(result.ok, v.name).toBe(v.expect.ok);
    }
  });
});
