// `pnpm demo`: signs one delivery per vendor with the core signer, verifies it, then
// verifies a tampered copy, and prints what happened. Exits 1 if anything misbehaves.
import { sign, verify, vendors } from '@hookproof/core';

const secret = 'whsec_demo_secret';
const samples = {
  autoposting: { id: 'evt_demo_1', event: 'post.published', timestamp: new Date().toISOString(), orgId: 'org_demo', data: { postId: 'post_1' } },
  aidelly: { event: 'post.published', workspace_id: 'ws_demo', brand_id: 'br_demo', data: { post_id: 'p1', platform: 'linkedin', status: 'completed', published_at: new Date().toISOString(), platform_post_id: 'urn:li:share:1' }, created_at: new Date().toISOString() },
  audenci: { event: 'post.published', timestamp: new Date().toISOString(), data: { postId: 'clx1', title: 'Demo', platforms: ['instagram'], scheduledFor: new Date().toISOString(), platformResults: { instagram: { success: true, postId: '1' } } }, organizationId: 'org', brandId: 'brand' },
  timbrix: { event: 'member.added', timestamp: new Date().toISOString(), data: { memberId: 'm1' } },
};

const rows = [];
let failures = 0;
for (const [vendor, payload] of Object.entries(samples)) {
  const body = JSON.stringify(payload);
  const headers = await sign({ vendor, body, secret, id: `dlv_${vendor}` });
  const good = await verify({ vendor, body, headers, secret });
  const tampered = await verify({ vendor, body: body.replace('"data":{', '"data":{"x":1,'), headers, secret });
  const okGood = good.ok && good.event.type === payload.event;
  const okBad = !tampered.ok && tampered.error.code === 'signature_mismatch';
  if (!okGood || !okBad) failures++;
  rows.push([
    vendors[vendor].name,
    vendors[vendor].signatureHeader,
    good.ok ? `200 ${good.event.type} (${good.event.idSource})` : `${good.error.status} ${good.error.code}`,
    tampered.ok ? '200 (WRONG)' : `${tampered.error.status} ${tampered.error.code}`,
    okGood && okBad ? 'as documented' : 'UNEXPECTED',
  ]);
}

const head = ['vendor', 'signature header', 'signed delivery', 'tampered body', 'verdict'];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (cells) => cells.map((c, i) => c.padEnd(widths[i])).join(' | ');
console.log(line(head));
console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
for (const r of rows) console.log(line(r));
console.log(failures === 0 ? '\nAll deliveries behaved as documented.' : `\n${failures} vendor(s) misbehaved.`);
process.exit(failures === 0 ? 0 : 1);
