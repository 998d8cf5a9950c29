// Property tests over the adapters' request parsing, on real sockets through every target:
// any chunking of a valid body verifies; header-name casing and repeated lines do not
// change the outcome; random garbage never crashes anything and always gets a status from
// the documented set. Plus the allowlist's address matching against node:net's BlockList.
import { createHmac } from 'node:crypto';
import { BlockList, isIP } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReceiver, type Receiver, type VendorRef } from '@hookproof/core';
import type { Mounted } from '../conformance/driver.js';
import { HOOK_PATH } from '../conformance/driver.js';
import { SECRET } from '../conformance/signing.js';
import { aidellyBody, chunk } from './cases.js';
import { targets } from './targets.js';
import { exchange } from './wire.js';

/** Every status a target may answer to arbitrary input (docs/reliability.md). */
const DOCUMENTED = new Set([200, 400, 401, 408, 413, 415, 431]);
const RUNS = Number(process.env['HARDENING_FUZZ_RUNS'] ?? 40);

const crashes: unknown[] = [];
const onCrash = (e: unknown) => {
  crashes.push(e);
};
beforeAll(() => {
  process.on('unhandledRejection', onCrash);
  process.on('uncaughtException', onCrash);
});
afterAll(() => {
  process.off('unhandledRejection', onCrash);
  process.off('uncaughtException', onCrash);
});

const mac = (body: Buffer) => createHmac('sha256', SECRET).update(body).digest('hex');

function randomCase(name: string, flips: readonly boolean[]): string {
  return [...name].map((c, i) => (flips[i % flips.length] ? c.toUpperCase() : c.toLowerCase())).join('');
}

/** Split points of `n` bytes into pieces, from fast-check's sorted cut positions. */
function pieces(body: Buffer, cuts: readonly number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (body.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let at = 0;
  for (const p of [...points, body.length]) {
    out.push(body.subarray(at, p));
    at = p;
  }
  return out;
}

const jsonValue = fc.jsonValue({ maxDepth: 3 });

for (const driver of targets) {
  describe(`fuzzing ${driver.name}`, () => {
    let app: Mounted;
    let url = '';
    let handled = 0;

    beforeAll(async () => {
      // No dedupe: the same generated body may come twice and must verify each time.
      const receiver = createReceiver({ vendor: 'aidelly', secret: SECRET, dedupe: false, bodyTimeoutMs: 2_000 }).onAny(() => {
        handled++;
      });
      app = await driver.mount({ webhook: { receiver: receiver as unknown as Receiver<VendorRef> } });
      url = await app.listen();
    });
    afterAll(() => app.close());

    it('any chunking of a valid body (chunked or with Content-Length) verifies', async () => {
      await fc.assert(
        fc.asyncProperty(jsonValue, fc.array(fc.nat(), { maxLength: 12 }), fc.boolean(), async (extra, cuts, useChunked) => {
          const body = Buffer.from(aidellyBody('chunks', { extra }));
          const parts = pieces(body, cuts);
          const headLines = [
            `POST ${HOOK_PATH} HTTP/1.1`,
            'Host: 127.0.0.1',
            'Content-Type: application/json',
            `Aidelly-Signature: sha256=${mac(body)}`,
            useChunked ? 'Transfer-Encoding: chunked' : `Content-Length: ${body.length}`,
            'Connection: close',
          ];
          const before = handled;
          const ex = await exchange(url, async (s) => {
            await s.write(`${headLines.join('\r\n')}\r\n\r\n`);
            for (const p of parts) {
              if (useChunked && p.length === 0) continue;
              await s.write(useChunked ? chunk(p) : p);
              await new Promise((r) => setImmediate(r));
            }
            if (useChunked) await s.write('0\r\n\r\n');
          });
          expect(ex.status, ex.responses[0]?.body).toBe(200);
          expect(handled).toBe(before + 1);
        }),
        { numRuns: RUNS },
      );
    });

    it('header-name casing and repeated signature lines do not change the outcome', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.boolean(), { minLength: 1, maxLength: 20 }),
          fc.integer({ min: 1, max: 3 }),
          fc.option(fc.stringMatching(/^[0-9a-f]{64}$/), { nil: undefined }),
          fc.boolean(),
          async (flips, copies, decoy, correct) => {
            const body = Buffer.from(aidellyBody('casing'));
            const good = `sha256=${mac(body)}`;
            const lines = [`POST ${HOOK_PATH} HTTP/1.1`, `${randomCase('Host', flips)}: 127.0.0.1`, `${randomCase('Content-Type', flips)}: application/json`];
            // A wrong signature next to the right one is tolerated (rotation); alone it is refused.
            if (decoy !== undefined) lines.push(`${randomCase('Aidelly-Signature', [...flips].reverse())}: sha256=${decoy}`);
            if (correct) for (let i = 0; i < copies; i++) lines.push(`${randomCase('Aidelly-Signature', flips)}: ${good}`);
            lines.push(`${randomCase('Content-Length', flips)}: ${body.length}`, 'Connection: close');
            const ex = await exchange(url, (s) => s.write(Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`), body])));
            const expected = correct ? 200 : 401;
            expect(ex.status, ex.responses[0]?.body).toBe(expected);
          },
        ),
        { numRuns: RUNS },
      );
    });

    it('random header lines and bodies never crash and always get a documented status', async () => {
      const headerName = fc.stringMatching(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,24}$/);
      // Visible ASCII, space, tab, obs-text, and now and then a control character.
      const headerValue = fc.string({ unit: fc.oneof(fc.integer({ min: 0x20, max: 0x7e }), fc.integer({ min: 0x80, max: 0xff }), fc.constantFrom(0x09, 0x01, 0x00, 0x7f)).map((c) => String.fromCharCode(c)), maxLength: 200 });
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.tuple(headerName, headerValue), { maxLength: 20 }),
          fc.uint8Array({ maxLength: 4096 }),
          fc.constantFrom('none', 'garbage', 'valid'),
          fc.constantFrom('length', 'chunked', 'lie-short'),
          async (headers, bytes, signature, framing) => {
            const body = Buffer.from(bytes);
            const lines = [`POST ${HOOK_PATH} HTTP/1.1`, 'Host: 127.0.0.1'];
            // Framing headers come from us, so the request is always complete on the wire.
            for (const [name, value] of headers) {
              if (/^(content-length|transfer-encoding|host|connection|expect)$/i.test(name)) continue;
              lines.push(`${name}: ${value}`);
            }
            if (signature === 'garbage') lines.push(`Aidelly-Signature: ${Buffer.from(bytes.slice(0, 40)).toString('latin1').replace(/[\r\n]/g, ' ')}`);
            if (signature === 'valid') lines.push(`Aidelly-Signature: sha256=${mac(body)}`);
            lines.push(framing === 'chunked' ? 'Transfer-Encoding: chunked' : `Content-Length: ${framing === 'lie-short' ? Math.floor(body.length / 2) : body.length}`, 'Connection: close');
            const payload = framing === 'chunked' ? Buffer.concat([body.length > 0 ? chunk(body) : Buffer.alloc(0), Buffer.from('0\r\n\r\n')]) : body;
            const ex = await exchange(url, (s) => s.write(Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), payload])), { timeoutMs: 5_000 });
            expect(ex.timedOut, 'an answer or a close, never a hang').toBe(false);
            if (ex.status !== undefined) expect(DOCUMENTED.has(ex.status), `status ${ex.status}: ${ex.responses[0]?.body}`).toBe(true);
          },
        ),
        { numRuns: RUNS * 2 },
      );
      // And the target still serves a valid delivery.
      const body = Buffer.from(aidellyBody('after-fuzz'));
      const ex = await exchange(url, (s) =>
        s.write(Buffer.concat([Buffer.from(`POST ${HOOK_PATH} HTTP/1.1\r\nHost: x\r\nAidelly-Signature: sha256=${mac(body)}\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`), body])),
      );
      expect(ex.status).toBe(200);
    });
  });
}

describe('allowIps matching agrees with node:net BlockList', () => {
  const v4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((p) => p.join('.'));
  const v6 = fc.array(fc.nat(0xffff), { minLength: 8, maxLength: 8 }).map((g) => g.map((x) => x.toString(16)).join(':'));
  // Compressed forms too: drop a run of groups for '::'.
  const v6short = fc.tuple(v6, fc.nat(7), fc.nat(7)).map(([full, a, b]) => {
    const groups = full.split(':');
    const [from, to] = [Math.min(a, b), Math.max(a, b) + 1];
    return `${groups.slice(0, from).join(':')}::${groups.slice(to).join(':')}`;
  });

  it('for random IPv4/IPv6 ranges and addresses, in and out', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(v4.map((a) => [a, 'ipv4'] as const), fc.oneof(v6, v6short).map((a) => [a, 'ipv6'] as const)),
        fc.nat(128),
        fc.oneof(v4, v6, v6short),
        fc.boolean(),
        async ([base, family], bits, probe, near) => {
          const prefix = family === 'ipv4' ? bits % 33 : bits;
          // Half the time probe an address inside the range: the base itself.
          const address = near ? base : probe;
          const list = new BlockList();
          list.addSubnet(base, prefix, family);
          const expected = list.check(address, isIP(address) === 6 ? 'ipv6' : 'ipv4');
          const receiver = createReceiver({ vendor: 'timbrix', secret: SECRET, dedupe: false, allowIps: [`${base}/${prefix}`] });
          const result = await receiver.receive({ body: '{}', headers: {}, remoteAddress: address });
          // 403 when refused by the allowlist; otherwise verification runs (401: no signature).
          expect(result.status === 403, `${address} in ${base}/${prefix}`).toBe(!expected);
        },
      ),
      { numRuns: 2_000 },
    );
  });
});

describe('across the fuzzing', () => {
  it('zero unhandled rejections or uncaught exceptions', async () => {
    await new Promise((r) => setTimeout(r, 100));
    expect(crashes).toEqual([]);
  });
});
