import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { verify, type VendorId, type VerifyInput } from '@hookproof/core';
import { acme } from './fixtures/acme.js';
import { hmacHex } from './helpers.js';

interface HookproofVector {
  vendor: VendorId | 'acme';
  name: string;
  body?: string;
  bodyBase64?: string;
  headers: Record<string, string | string[]>;
  secret: string | string[] | null;
  nowMs: number;
  options?: Pick<VerifyInput, 'allowUnsigned' | 'toleranceSec' | 'requiredHeaders'>;
  expect: { ok: boolean; type?: string; secretIndex?: number; id?: string; idSource?: string; code?: string; status?: number };
}

const fileUrl = new URL('./fixtures/hookproof-vectors.json', import.meta.url);
const file = JSON.parse(readFileSync(fileUrl, 'utf8')) as { nowMs: number; vectors: HookproofVector[] };

const bodyOf = (v: HookproofVector): string | Uint8Array =>
  v.bodyBase64 !== undefined ? new Uint8Array(Buffer.from(v.bodyBase64, 'base64')) : v.body!;

describe('hookproof vectors (fixtures/hookproof-vectors.json)', () => {
  it('the file is what make-hookproof-vectors.mjs writes (nothing edited by hand)', () => {
    const script = fileURLToPath(new URL('./fixtures/make-hookproof-vectors.mjs', import.meta.url));
    const generated = execFileSync(process.execPath, [script, '--stdout'], { encoding: 'utf8' });
    expect(generated).toBe(readFileSync(fileUrl, 'utf8'));
  });

  it('covers every vendor, the fifth one included, and both verdicts', () => {
    expect(new Set(file.vectors.map((v) => v.vendor))).toEqual(new Set(['autoposting', 'aidelly', 'audenci', 'timbrix', 'acme']));
    expect(file.vectors.some((v) => v.expect.ok)).toBe(true);
    expect(file.vectors.some((v) => !v.expect.ok)).toBe(true);
  });

  for (const v of file.vectors) {
    it(`${v.vendor}: ${v.name}`, async () => {
      const body = bodyOf(v);
      const result = await verify({
        vendor: v.vendor === 'acme' ? acme : v.vendor,
        body,
        headers: v.headers,
        secret: v.secret ?? undefined!,
        now: () => v.nowMs,
        ...v.options,
      });
      if (!result.ok) expect(result.error.code, result.error.message).toBe(v.expect.code);
      expect(result.ok).toBe(v.expect.ok);
      if (result.ok) {
        expect(String(result.event.type)).toBe(v.expect.type);
        expect(result.event.vendor).toBe(v.vendor);
        expect(result.event.raw).toBe(typeof body === 'string' ? body : Buffer.from(body).toString('utf8'));
        if (v.expect.secretIndex !== undefined) expect(result.secretIndex).toBe(v.expect.secretIndex);
        if (v.expect.id !== undefined) expect(result.event.id).toBe(v.expect.id);
        if (v.expect.idSource !== undefined) expect(result.event.idSource).toBe(v.expect.idSource);
        if (result.event.idSource === 'body-digest') expect(result.event.id).toMatch(/^sha256:[0-9a-f]{32}$/);
      } else {
        expect(result.error.status).toBe(v.expect.status);
        expect(result.error.hint ?? result.error.message).not.toBe('');
        const shown = JSON.stringify(result.error.toJSON());
        for (const s of [v.secret ?? []].flat()) {
          expect(shown).not.toContain(s);
          expect(shown).not.toContain(hmacHex(s, body as string));
        }
      }
    });
  }
});
