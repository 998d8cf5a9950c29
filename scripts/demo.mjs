// `pnpm demo`: one Express app with every built-in vendor mounted on 127.0.0.1, driven by the
// mock sender through a scenario per vendor: a valid event, a retry storm against a
// handler that fails twice and then recovers (vendor schedule, virtual clock), a
// duplicate, concurrent copies, and each signature fault. Prints what was sent, what the
// receiver answered and what the handlers saw; exits 1 if anything was not as documented.
import express from 'express';
import { createReceiver, vendors } from '@hookproof/core';
import { webhook } from '@hookproof/express';
import { createMockSender } from '@hookproof/mock-sender';

// whsec_ + base64: valid for every vendor, Standard Webhooks (which decodes it) included.
const secret = 'whsec_ZGVtby1zZWNyZXQtYnl0ZXM';
const startAt = Date.UTC(2026, 0, 1, 9, 0, 0);
// A vendor not named here (Standard Webhooks: event names are the sender's own) sends example names.
const firstEvent = { autoposting: 'post.published', aidelly: 'post.published', audenci: 'post.published', timbrix: 'member.added' };
const stormEvent = { autoposting: 'clip.render.completed', aidelly: 'post.failed', audenci: 'campaign.started', timbrix: 'invite.accepted' };
for (const id of Object.keys(vendors)) {
  firstEvent[id] ??= vendors[id].events[0] ?? 'invoice.paid';
  stormEvent[id] ??= vendors[id].events[1] ?? 'invoice.payment_failed';
}

// One sender per vendor; each receiver reads the sender's (virtual) clock so
// Autoposting's signed timestamps stay inside the 5-minute window across hours of retries.
const senders = {};
const seen = {}; // vendor -> list of "type" strings the handlers processed
const failuresLeft = {}; // vendor -> failures still to inject into the retry-storm event
const app = express();
for (const vendor of Object.keys(vendors)) {
  seen[vendor] = [];
  failuresLeft[vendor] = 0;
  const receiver = createReceiver({ vendor, secret, now: () => senders[vendor].now() });
  receiver.onAny(async (event) => {
    if (String(event.type) === stormEvent[vendor] && failuresLeft[vendor] > 0) {
      failuresLeft[vendor]--;
      throw new Error('database unavailable (simulated)');
    }
    // A handler takes a moment (a database write), so concurrent copies overlap.
    await new Promise((resolve) => setTimeout(resolve, 20));
    seen[vendor].push(String(event.type));
  });
  app.post(`/hooks/${vendor}`, webhook(receiver));
}

const server = await new Promise((resolve) => {
  const s = app.listen(0, '127.0.0.1', () => resolve(s));
});
const base = `http://127.0.0.1:${server.address().port}`;
for (const vendor of Object.keys(vendors)) {
  senders[vendor] = createMockSender({ vendor, secret, target: `${base}/hooks/${vendor}`, seed: 2026, startAt });
}

const rows = [];
let bad = 0;
function row(vendor, scenario, sent, answered, handlers, expected, ok) {
  if (!ok) bad++;
  rows.push([vendors[vendor].name, scenario, sent, answered, handlers, ok ? 'ok' : `EXPECTED ${expected}`]);
}
const answer = (r) => (r.status === undefined ? r.outcome : `${r.status} ${codeOf(r)}`.trim());
function codeOf(r) {
  try {
    const body = JSON.parse(r.response?.body ?? '{}');
    return body.error ?? (body.ok ? 'ok' : '');
  } catch {
    return '';
  }
}
const delta = (vendor, before) => seen[vendor].slice(before);
const fmtSeen = (list) => (list.length === 0 ? 'nothing' : list.join(', '));
const secs = (ms) => (ms >= 3600_000 ? `${(ms / 3600_000).toFixed(1)}h` : ms >= 60_000 ? `${Math.round(ms / 60_000)}m` : `${Math.round(ms / 1000)}s`);

for (const vendor of Object.keys(vendors)) {
  const sender = senders[vendor];
  const profile = vendors[vendor];

  // 1. A valid, documented event.
  let before = seen[vendor].length;
  const valid = sender.event(firstEvent[vendor]);
  const r1 = await sender.send(valid);
  let saw = delta(vendor, before);
  row(vendor, 'valid event', valid.type, answer(r1), fmtSeen(saw), `200 ok, handler saw ${valid.type}`, r1.status === 200 && saw.length === 1 && saw[0] === valid.type);

  // 2. Retry storm: the handler fails twice, then recovers; the vendor's own schedule.
  before = seen[vendor].length;
  const storm = sender.event(stormEvent[vendor]);
  failuresLeft[vendor] = 2;
  const log = await sender.deliver(storm, { retries: 'vendor', clock: 'virtual' });
  saw = delta(vendor, before);
  const timeline = log.attempts.map((a) => `${secs(a.atMs)}:${a.status ?? a.outcome}`).join(' ');
  row(vendor, 'handler fails twice, then recovers', `${storm.type} x${log.attempts.length}`, `${log.state} [${timeline}]`, fmtSeen(saw), 'delivered on attempt 3, handler saw it once',
    log.state === 'delivered' && log.attempts.length === 3 && log.attempts[0].status === 500 && log.attempts[2].status === 200 && saw.length === 1);

  // 3. The vendor retries a delivery that already succeeded.
  before = seen[vendor].length;
  const dup = await sender.send(storm);
  saw = delta(vendor, before);
  row(vendor, 'retry after success', storm.type, answer(dup), fmtSeen(saw), '200 duplicate, handler not run again', dup.status === 200 && codeOf(dup) === 'duplicate' && saw.length === 0);

  // 4. Concurrent copies of one delivery.
  before = seen[vendor].length;
  const conc = await sender.send(sender.event(firstEvent[vendor]), { fault: { concurrent: 4 } });
  saw = delta(vendor, before);
  const answers = conc.copies.map(answer);
  const counts = [...new Set(answers)].sort().map((a) => `${answers.filter((x) => x === a).length}x ${a}`).join(', ');
  row(vendor, '4 concurrent copies', `${firstEvent[vendor]} x4`, counts, fmtSeen(saw), 'one 200 ok, the rest 409 in_progress or 200 duplicate; handler ran once',
    saw.length === 1 && answers.filter((a) => a === '200 ok').length === 1 && answers.every((a) => ['200 ok', '409 in_progress', '200 duplicate'].includes(a)));

  // 5. Each signature fault.
  const faults = [
    ['tamper-body', 401, 'signature_mismatch'],
    ['wrong-secret', 401, 'signature_mismatch'],
    ['no-signature', 401, 'missing_signature'],
    ['bad-encoding', 400, 'invalid_json'],
    ...(profile.toleranceSec !== undefined ? [['stale-timestamp', 401, 'timestamp_out_of_tolerance']] : []),
  ];
  for (const [fault, status, code] of faults) {
    before = seen[vendor].length;
    const r = await sender.send(sender.event(firstEvent[vendor]), { fault });
    saw = delta(vendor, before);
    row(vendor, `fault: ${fault}`, firstEvent[vendor], answer(r), fmtSeen(saw), `${status} ${code}, handler not run`, r.status === status && codeOf(r) === code && saw.length === 0);
  }
}

await new Promise((resolve) => server.close(resolve));
for (const s of Object.values(senders)) await s.close?.();

const head = ['vendor', 'scenario', 'sent', 'receiver answered', 'handlers saw', 'verdict'];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
const line = (cells) => cells.map((c, i) => String(c).padEnd(widths[i])).join(' | ');
console.log(`hookproof demo: Express receiver on ${base}, mock sender with each vendor's schedule (virtual clock)\n`);
console.log(line(head));
console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
for (const r of rows) console.log(line(r));
console.log(bad === 0 ? `\nAll ${rows.length} checks behaved as documented.` : `\n${bad} of ${rows.length} checks did NOT behave as documented.`);
process.exit(bad === 0 ? 0 : 1);
