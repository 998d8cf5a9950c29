// What users copy must fail fast on a missing secret. `process.env.X_SECRET ?? 'unset'` (or
// `|| 'dev'`, or `?? DEV_SECRET`) turns a deployment that forgot the variable into one that
// accepts any delivery signed with a string anyone can read. This scans the README, docs/,
// the package and example READMEs, the examples' code and the vendor-page generator for a
// fallback after a secret-like environment variable; and checks that the examples' apps
// refuse to start without their secret.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { createReceiver, handleWebhook, verify } from '@hookproof/core';
import { webhook as expressWebhook } from '@hookproof/express';
import hookproof from '@hookproof/fastify';
import { webhook as koaWebhook } from '@hookproof/koa';
import { markdownFiles, root } from '../scripts/lib/workspace.mjs';

/** `process.env.NAME` / `process.env['NAME']` for a secret-like NAME, then `??` or `||`. */
const FALLBACK = /process\.env(?:\.(\w+)|\[\s*['"](\w+)['"]\s*\])!?\s*(\?\?|\|\|)/g;
const SECRET_LIKE = /SECRET|TOKEN|BEARER|SIGNING|HMAC/i;

export function fallbacks(text: string): string[] {
  const out: string[] = [];
  text.split('\n').forEach((line, i) => {
    for (const m of line.matchAll(FALLBACK)) {
      const name = m[1] ?? m[2] ?? '';
      if (SECRET_LIKE.test(name)) out.push(`${i + 1}: ${line.trim()}`);
    }
  });
  return out;
}

function codeFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...codeFiles(path));
    else if (/\.(m?[jt]s|md)$/.test(name)) out.push(path);
  }
  return out;
}

const scanned = [...new Set([...markdownFiles(), ...codeFiles(join(root, 'examples')), join(root, 'scripts', 'gen-vendor-docs.mjs')])];

describe('no default value for a secret in what users read and copy', () => {
  it('the scan catches the patterns it is for (and leaves the fail-fast ones alone)', () => {
    expect(fallbacks("  secret: process.env.AIDELLY_WEBHOOK_SECRET ?? 'unset',")).toHaveLength(1);
    expect(fallbacks("const s = process.env['TIMBRIX_WEBHOOK_SECRET'] || 'dev';")).toHaveLength(1);
    expect(fallbacks('const secret = options.secret ?? process.env.AIDELLY_WEBHOOK_SECRET ?? DEV_SECRET;')).toHaveLength(1);
    expect(fallbacks("authorization: `Bearer ${process.env.WEBHOOK_BEARER ?? ''}`")).toHaveLength(1);
    expect(fallbacks('secret: process.env.AIDELLY_WEBHOOK_SECRET!,')).toEqual([]);
    expect(fallbacks('const port = Number(process.env.PORT ?? 3000);')).toEqual([]);
  });

  it('covers the README, docs/, package and example READMEs and the examples', () => {
    const names = scanned.map((f) => relative(root, f));
    for (const expected of ['README.md', 'docs/getting-started.md', 'docs/frameworks/express.md', 'packages/core/README.md', 'examples/express/src/app.mjs', 'examples/koa/README.md']) {
      expect(names).toContain(expected);
    }
  });

  it.each(scanned.map((f) => [relative(root, f), f]))('%s', (_name, file) => {
    expect(fallbacks(readFileSync(file, 'utf8'))).toEqual([]);
  });
});

describe("the examples' apps refuse to start without their secret", () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it.each([
    ['express', 'AIDELLY_WEBHOOK_SECRET'],
    ['fastify', 'TIMBRIX_WEBHOOK_SECRET'],
    ['koa', 'AUDENCI_WEBHOOK_SECRET'],
    ['fetch', 'AUTOPOSTING_WEBHOOK_SECRET'],
  ])('examples/%s: createApp() throws naming %s; with the variable set it starts', async (example, variable) => {
    const { createApp } = (await import(`../examples/${example}/src/app.mjs`)) as { createApp: (options?: object) => { close?: () => unknown } };
    delete process.env[variable];
    expect(() => createApp()).toThrow(new RegExp(`${variable} is not set`));
    process.env[variable] = 'whsec_from_the_environment';
    const app = createApp();
    await app.close?.();
  });
});

describe('what the docs promise for a missing or empty secret (process.env.NAME! in the examples)', () => {
  it.each([
    ['unset', undefined],
    ['empty', ''],
  ])('%s: createReceiver, webhook() of Express and Koa and the Fastify plugin throw a TypeError at setup; verify and handleWebhook at the call', async (_label, value) => {
    const secret = value as unknown as string;
    const named = /`secret` (is required|is an empty string)/;
    expect(() => createReceiver({ vendor: 'aidelly', secret })).toThrow(TypeError);
    expect(() => createReceiver({ vendor: 'aidelly', secret })).toThrow(named);
    expect(() => expressWebhook({ vendor: 'aidelly', secret })).toThrow(named);
    expect(() => koaWebhook({ vendor: 'aidelly', secret })).toThrow(named);
    const app = Fastify();
    await expect(app.register(hookproof, { vendor: 'aidelly', secret }).ready()).rejects.toThrow(named);
    await app.close();
    // verify throws at once (not a rejected promise): a setup mistake, never a peer's input.
    await expect((async () => verify({ vendor: 'aidelly', secret, body: '{}', headers: {} }))()).rejects.toThrow(named);
    const request = new Request('http://127.0.0.1/', { method: 'POST', body: '{}' });
    await expect((async () => handleWebhook(request, { vendor: 'aidelly', secret }))()).rejects.toThrow(named);
  });
});
