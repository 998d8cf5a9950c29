import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createReceiver, vendorIds, vendors, type VendorId } from '@hookproof/core';
import { bodyReader, type BodyRead } from '@hookproof/core/adapter';
import { createMockSender } from '../sender.js';
import type { Fault } from '../types.js';
import { EXIT, print, type Command } from './command.js';
import { duration } from './format.js';
import { UsageError, vendorArg } from './io.js';
import type { Style } from './style.js';

// `whsec_` + base64: a valid secret whether the vendor keys its HMAC with the string or with the decoded bytes (Standard Webhooks).
const SECRET = 'whsec_aG9va3Byb29mLWRlbW8tc2VjcmV0';
/** The event each vendor's demo sends; a vendor not named here sends its first documented event. */
const SAMPLE: { readonly [K in VendorId]?: string } = {
  autoposting: 'post.published',
  aidelly: 'post.published',
  audenci: 'post.published',
  timbrix: 'member.added',
};
const sampleOf = (vendor: VendorId): string => SAMPLE[vendor] ?? vendors[vendor].events[0] ?? 'example.created';

async function serve(handler: http.RequestListener): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

// Core's body reader: the same limit, clock and error codes as every hookproof receiver.
const reader = bodyReader();

function bodyOf(req: http.IncomingMessage): Promise<BodyRead> {
  return new Promise((resolve) => reader.readBody(req, req.headers['content-length'], resolve));
}

async function demoVendor(vendor: VendorId, io: Parameters<Command['run']>[2], style: Style): Promise<number> {
  const profile = vendors[vendor];
  let sender = createMockSender({ vendor, secret: SECRET, seed: 1 });
  // logger: false: the demo prints its own table of every answer (its faults would log too).
  const receiver = createReceiver({ vendor, secret: SECRET, now: () => sender.now(), logger: false });
  const codes: (string | undefined)[] = [];
  const server = await serve(async (req, res) => {
    const read = await bodyOf(req);
    const out = read.ok
      ? await receiver.receive({ body: read.body, headers: req.headers })
      : await receiver.reject(read.error);
    codes.push(out.error?.code);
    res.writeHead(out.status, { 'content-type': 'application/json' }).end(JSON.stringify(out.body));
  });
  sender = createMockSender({ vendor, secret: SECRET, seed: 1, target: server.url });
  let failures = 0;
  const row = (label: string, got: string, expected: string, note = '') => {
    const ok = got === expected;
    if (!ok) failures++;
    print(
      io,
      `  ${label.padEnd(18)} ${(ok ? style.green : style.red)(got.padEnd(32))} ${ok ? style.dim(note || 'as expected') : style.red(`expected ${expected}`)}`,
    );
  };
  print(io, `${style.bold(profile.name)} ${style.dim(`(${profile.signatureHeader})`)}`);
  try {
    const type = sampleOf(vendor) as never;
    const clean = await sender.send(sender.event(type));
    row('signed delivery', `${clean.status} ${codes.at(-1) ?? 'ok'}`, '200 ok');
    const cases: [Fault, string, string?][] = [
      ['tamper-body', '401 signature_mismatch'],
      ['wrong-secret', '401 signature_mismatch'],
      ['no-signature', '401 missing_signature'],
      profile.toleranceSec === undefined
        ? ['stale-timestamp', '200 ok', 'accepted: no replay window is documented']
        : ['stale-timestamp', '401 timestamp_out_of_tolerance'],
      ['bad-encoding', '400 invalid_json', 'UTF-16 body, valid signature'],
    ];
    for (const [fault, expected, note] of cases) {
      const r = await sender.send(sender.event(type), { fault });
      row(String(fault), `${r.status} ${codes.at(-1) ?? 'ok'}`, expected, note);
    }
    const dup = await sender.send(sender.event(type), { fault: { duplicate: 2 } });
    row(
      'duplicate=2',
      `${dup.copies.map((c) => c.status).join('+')} ${codes
        .slice(-2)
        .map((c) => c ?? 'ok')
        .join('+')}`,
      '200+200 ok+duplicate',
      'processed once',
    );
  } finally {
    await server.close();
  }
  const failing = await serve((_req, res) => res.writeHead(503).end());
  try {
    const retry = createMockSender({ vendor, secret: SECRET, seed: 1, target: failing.url });
    const started = performance.now();
    const log = await retry.deliver(retry.event(sampleOf(vendor) as never));
    const took = performance.now() - started;
    const expected = profile.retry.delaysSec.length + 1;
    const times = log.attempts.map((a) => duration(a.atMs)).join(', ');
    const ok = log.state === 'failed' && log.attempts.length === expected;
    if (!ok) failures++;
    print(
      io,
      `  ${'retry schedule'.padEnd(18)} ${(ok ? style.green : style.red)(`${log.attempts.length} attempts, ${log.state}`.padEnd(32))} ${style.dim(`at ${times} (virtual; ${took.toFixed(0)} ms real)`)}`,
    );
  } finally {
    await failing.close();
  }
  print(io);
  return failures;
}

export const demo: Command = {
  name: 'demo',
  summary: 'show each vendor end to end: signed deliveries, faults and retry schedules',
  help: `Usage: hookproof demo [vendor]

For each vendor (or only <vendor>), starts a @hookproof/core receiver on 127.0.0.1 and sends it a signed
event, each fault, a duplicate, and a full retry schedule against a failing endpoint
(on the virtual clock, so hours of retries take milliseconds).

Exit status: 0 everything behaved as documented, 1 otherwise.`,
  options: {},
  async run(_values, positionals, io, style) {
    if (positionals.length > 1)
      throw new UsageError(`demo takes at most one vendor, got ${positionals.length} arguments`);
    const ids = positionals[0] === undefined ? vendorIds : [vendorArg(positionals[0])];
    let failures = 0;
    for (const vendor of ids) failures += await demoVendor(vendor, io, style);
    print(
      io,
      failures === 0
        ? style.green('Every delivery behaved as documented.')
        : style.red(`${failures} check(s) did not behave as documented.`),
    );
    return failures === 0 ? EXIT.ok : EXIT.failed;
  },
};
