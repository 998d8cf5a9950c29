// The security review's checks (docs/security.md): every regex in core is audited and
// none backtracks badly on 64 KB of adversarial header or body text; secrets and MACs
// are compared only through the constant-time port; async secret providers are cached
// and their failures are neither cached nor leaked.
import { createHmac } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReceiver, diagnose, parseTimestamp, verify, type Receiver, type VendorId, type VendorRef } from '@hookproof/core';
import type { AdapterDriver, Mounted } from '../conformance/driver.js';
import { SECRET } from '../conformance/signing.js';
import { aidellyBody, head } from './cases.js';
import { regexLiterals, regexReviews } from './regex-audit.js';
import { targets } from './targets.js';
import { exchange } from './wire.js';

const coreSrc = new URL('../packages/core/src/', import.meta.url).pathname;

function sources(dir: string): { file: string; text: string }[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return path.endsWith('.ts') ? [{ file: path.slice(coreSrc.length), text: readFileSync(path, 'utf8') }] : [];
  });
}

/** A generous budget: the point is "not quadratic", which on 64 KB means seconds, not ms. */
const BUDGET_MS = 1_000;
const K64 = 64 * 1024;

async function timed(fn: () => unknown): Promise<number> {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}

describe('regular expressions in core', () => {
  it('every regex literal in packages/core/src is in the audit table, and every entry still exists', () => {
    const found = sources(coreSrc).flatMap(({ file, text }) => regexLiterals(text).map((literal) => `${file} ${literal}`));
    const reviewed = regexReviews.map((r) => `${r.file} ${r.literal}`);
    expect(found.length).toBeGreaterThan(15);
    expect([...new Set(found)].sort()).toEqual([...new Set(reviewed)].sort());
  });

  it('the extractor finds regexes in the forms core writes them', () => {
    expect(regexLiterals("const a = /x+/g; f(/^y$/i, 1); s.replace(/\\//g, '\\\\/'); (t) => /^z{2}$/.test(t); // not /this/")).toEqual([
      '/x+/g', '/^y$/i', '/\\//g', '/^z{2}$/',
    ]);
  });

  // Inputs built to make a backtracking regex go quadratic or worse: long runs of the
  // characters a quantifier accepts, ended by one it does not.
  const adversarial: Record<string, string> = {
    'run of "="': `${'='.repeat(K64)}x`,
    'base64 then "=" run': `A${'='.repeat(K64)}!`,
    'hex digits then junk': `${'a'.repeat(K64)}g`,
    'prefix then hex run': `sha256=${'0'.repeat(K64)}z`,
    'separators': ' ,\t'.repeat(K64 / 3),
    'digits': '9'.repeat(K64),
    'ISO-like': `2026-01-01T00:00:00.${'1'.repeat(K64)}Z`,
    'newlines and spaces': `\n${' '.repeat(K64)}x`,
    'carriage returns': '\r'.repeat(K64),
  };
  const vendorsToTry: VendorId[] = ['autoposting', 'aidelly', 'audenci', 'timbrix', 'standard-webhooks'];
  const signatureHeader: Record<VendorId, string> = {
    autoposting: 'x-autoposting-signature',
    aidelly: 'aidelly-signature',
    audenci: 'x-audenci-signature',
    timbrix: 'x-webhook-signature',
    'standard-webhooks': 'webhook-signature',
  };

  for (const [name, text] of Object.entries(adversarial)) {
    it(`verify, diagnose and parseTimestamp stay under ${BUDGET_MS} ms on 64 KB of ${name}`, async () => {
      for (const vendor of vendorsToTry) {
        const headers = { [signatureHeader[vendor]]: text, 'x-autoposting-timestamp': text, 'webhook-timestamp': text, 'webhook-id': text };
        expect(await timed(() => verify({ vendor, secret: SECRET, body: '{"event":"x"}', headers })), `verify ${vendor}`).toBeLessThan(BUDGET_MS);
        expect(await timed(() => diagnose({ vendor, secret: SECRET, body: '{"event":"x"}', headers })), `diagnose ${vendor}`).toBeLessThan(BUDGET_MS);
        // The same text as a body: diagnose re-serialises and scans it.
        const body = `{"event":"post.published","data":${JSON.stringify(text)}}\r\n`;
        const bodyHeaders = { [signatureHeader[vendor]]: 'ab'.repeat(32), 'x-autoposting-timestamp': '1767225600' };
        expect(await timed(() => diagnose({ vendor, secret: SECRET, body, headers: bodyHeaders })), `diagnose body ${vendor}`).toBeLessThan(BUDGET_MS);
      }
      expect(await timed(() => parseTimestamp(text))).toBeLessThan(BUDGET_MS);
    });
  }

  it('a 64 KB X-Forwarded-For through allowIps + trustProxy stays under budget', async () => {
    const receiver = createReceiver({ vendor: 'timbrix', secret: SECRET, dedupe: false, allowIps: ['203.0.113.0/24'], trustProxy: ['10.0.0.0/8'] });
    for (const xff of [`${'10.1.1.1,'.repeat(K64 / 9)}203.0.113.9`, ','.repeat(K64), `${'1'.repeat(K64)}`, `${':'.repeat(K64)}`, `[${'f'.repeat(K64)}`]) {
      const ms = await timed(() => receiver.receive({ body: '{}', headers: { 'x-forwarded-for': xff }, remoteAddress: '10.0.0.1' }));
      expect(ms).toBeLessThan(BUDGET_MS);
    }
  });
});

describe('constant-time comparison sites', () => {
  const all = sources(coreSrc);
  const count = (needle: string) => all.flatMap(({ file, text }) => text.split('\n').filter((l) => l.includes(needle)).map(() => file));

  it('MACs and secret values are compared only through cryptoPort.equal, at the audited sites', () => {
    // verify-steps.ts: decoded signature vs computed MAC, and requiredHeaders digests; diagnose.ts: candidate MACs.
    expect(count('cryptoPort.equal(').sort()).toEqual(['diagnose.ts', 'verify-steps.ts', 'verify-steps.ts']);
    // The Node port is timingSafeEqual after a length check (lengths are public: 32 bytes).
    const node = all.find((s) => s.file === 'crypto-node.ts')!.text;
    expect(node).toMatch(/a\.byteLength === b\.byteLength && nodeTimingSafeEqual\(a, b\)/);
    // The Web port folds every byte before deciding.
    const web = all.find((s) => s.file === 'crypto-web.ts')!.text;
    expect(web).toMatch(/diff \|= a\[i\]! \^ b\[i\]!/);
    // No byte or string comparison that could short-circuit on secret material.
    for (const needle of ['Buffer.compare(', '.equals(', 'localeCompare(']) expect(count(needle), needle).toEqual([]);
  });

  it('requiredHeaders (custom auth headers) are compared as SHA-256 digests, whatever their length', async () => {
    const body = aidellyBody('auth');
    const mac = createHmac('sha256', SECRET).update(body).digest('hex');
    const check = (authorization: string) =>
      verify({ vendor: 'audenci', secret: SECRET, body, headers: { 'x-audenci-signature': mac, authorization }, requiredHeaders: { authorization: 'Bearer s3cr3t-token' } });
    expect((await check('Bearer s3cr3t-token')).ok).toBe(true);
    // (Surrounding whitespace is not part of an HTTP header value: Node and Fetch trim it too.)
    for (const wrong of ['Bearer s3cr3t-tokeN', 'Bearer s3cr3t-toke', 'B', 'x'.repeat(K64)]) {
      const result = await check(wrong);
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.error.code).toBe('invalid_auth_header');
        expect(`${result.error.message} ${result.error.hint ?? ''}`).not.toContain('s3cr3t');
      }
    }
  });
});

describe('async secret providers through the adapters', () => {
  const adapters = targets.filter((t) => t.packageName !== '@hookproof/core');

  for (const driver of adapters) {
    describe(driver.name, () => {
      let app: Mounted;
      let url = '';
      let calls = 0;
      let failNext = false;
      let clock = 1_767_225_600_000;

      beforeAll(async () => {
        app = await (driver as AdapterDriver).mount({
          webhook: {
            vendor: 'aidelly',
            now: () => clock,
            secretCacheMs: 60_000,
            secret: async () => {
              calls++;
              await new Promise((r) => setTimeout(r, 20));
              if (failNext) {
                failNext = false;
                throw new Error(`vault down (token ${SECRET})`);
              }
              return SECRET;
            },
          },
        });
        url = await app.listen();
      });
      afterAll(() => app.close());

      const deliver = async (tag: string) => {
        const body = aidellyBody(tag);
        const ex = await exchange(url, (s) => s.write(head(body) + body));
        return { status: ex.status, text: ex.responses[0]?.body ?? '' };
      };

      it('50 concurrent deliveries ask the provider once; it is asked again after secretCacheMs', async () => {
        const results = await Promise.all(Array.from({ length: 50 }, (_, i) => deliver(`c${i}`)));
        expect(results.map((r) => r.status)).toEqual(Array.from({ length: 50 }, () => 200));
        expect(calls).toBe(1);
        clock += 60_001;
        expect((await deliver('after-expiry')).status).toBe(200);
        expect(calls).toBe(2);
      });

      it('a failing provider answers 503 secret_unavailable, leaks nothing, and is not cached', async () => {
        clock += 60_001;
        failNext = true;
        const failed = await deliver('vault-down');
        expect(failed.status).toBe(503);
        expect(JSON.parse(failed.text)).toEqual({ error: 'secret_unavailable', message: expect.any(String) });
        expect(failed.text).not.toContain(SECRET);
        expect(failed.text).not.toContain('vault down');
        const before = calls;
        expect((await deliver('vault-back')).status).toBe(200);
        expect(calls).toBe(before + 1);
      });
    });
  }
});

describe('allowIps through every target, over a socket', () => {
  const cases: { name: string; allowIps: string[]; trustProxy?: number; xff?: string; status: number }[] = [
    { name: 'loopback allowed', allowIps: ['127.0.0.0/8', '::1'], status: 200 },
    { name: 'loopback not in the list', allowIps: ['203.0.113.0/24'], status: 403 },
    { name: 'X-Forwarded-For ignored without trustProxy', allowIps: ['203.0.113.0/24'], xff: '203.0.113.5', status: 403 },
    { name: 'X-Forwarded-For believed one hop with trustProxy: 1', allowIps: ['203.0.113.0/24'], trustProxy: 1, xff: '198.51.100.1, 203.0.113.5', status: 200 },
    { name: 'a forged left-most entry does not help', allowIps: ['203.0.113.0/24'], trustProxy: 1, xff: '203.0.113.5, 198.51.100.1', status: 403 },
  ];
  for (const driver of targets) {
    it(`${driver.name}: the adapter passes the socket address to the check`, async () => {
      for (const c of cases) {
        const receiver = createReceiver({ vendor: 'aidelly', secret: SECRET, allowIps: c.allowIps, ...(c.trustProxy === undefined ? {} : { trustProxy: c.trustProxy }) });
        const app = await driver.mount({ webhook: { receiver: receiver as unknown as Receiver<VendorRef> } });
        try {
          const url = await app.listen();
          const body = aidellyBody(`ip-${c.name}`);
          const extra = c.xff === undefined ? [] : [`X-Forwarded-For: ${c.xff}`];
          const ex = await exchange(url, (s) => s.write(head(body, { extra }) + body));
          expect(ex.status, c.name).toBe(c.status);
          if (c.status === 403) expect(JSON.parse(ex.responses[0]!.body)).toEqual({ error: 'forbidden_ip', message: expect.any(String) });
        } finally {
          await app.close();
        }
      }
    });
  }
});
