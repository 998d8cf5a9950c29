// Independent expectations for the conformance table: every signature here is computed
// with plain node:crypto from the vendor facts typed in by hand from the vendors' pages
// (docs/vendors/*.md cites each), never with hookproof's own sign().
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';

export type Vendor = 'autoposting' | 'aidelly' | 'audenci' | 'timbrix';
export const allVendors: readonly Vendor[] = ['autoposting', 'aidelly', 'audenci', 'timbrix'];

export const SECRET = 'whsec_c29tZS1zaWduaW5nLXNlY3JldA';
/** 2026-01-01T00:00:00Z: the clock every case runs at (the vectors' nowMs). */
export const NOW_MS = 1767225600000;
export const NOW_S = NOW_MS / 1000;

export const signatureHeaderOf: Record<Vendor, string> = {
  autoposting: 'X-Autoposting-Signature',
  aidelly: 'Aidelly-Signature',
  audenci: 'X-Audenci-Signature',
  timbrix: 'X-Webhook-Signature',
};

export function hmacHex(secret: string, content: string | Buffer): string {
  return createHmac('sha256', secret).update(content).digest('hex');
}

/** Header lines a vendor sends for `body`, signed with node:crypto. */
export function signedHeaders(vendor: Vendor, body: string | Buffer, secret = SECRET, ts = String(NOW_S)): [string, string][] {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  switch (vendor) {
    case 'autoposting':
      return [
        ['X-Autoposting-Signature', hmacHex(secret, Buffer.concat([Buffer.from(`${ts}.`), bytes]))],
        ['X-Autoposting-Timestamp', ts],
      ];
    case 'aidelly':
      return [['Aidelly-Signature', `sha256=${hmacHex(secret, bytes)}`]];
    case 'audenci':
      return [['X-Audenci-Signature', hmacHex(secret, bytes)]];
    case 'timbrix':
      return [['X-Webhook-Signature', hmacHex(secret, bytes)]];
  }
}

/** An envelope per vendor (as its page shows it; Timbrix's assumed) and the event type it carries. */
export const sample: Record<Vendor, { body: string; type: string }> = {
  autoposting: {
    body: JSON.stringify({ id: 'evt_c1', event: 'post.published', timestamp: '2026-01-01T00:00:00.000Z', orgId: 'org_1', data: { postId: 'p1', platform: 'linkedin' } }),
    type: 'post.published',
  },
  aidelly: {
    body: JSON.stringify({ event: 'post.published', workspace_id: 'w', brand_id: 'b', data: { post_id: 'p', platform: 'linkedin', status: 'completed', published_at: '2026-02-18T17:30:00Z', platform_post_id: 'urn:li:share:1' }, created_at: '2026-02-18T17:30:02Z' }),
    type: 'post.published',
  },
  audenci: {
    body: JSON.stringify({ event: 'post.published', timestamp: '2026-02-03T10:30:00Z', data: { postId: 'clx123abc', title: 'T', platforms: ['instagram'], scheduledFor: '2026-02-03T10:00:00Z', platformResults: {} }, organizationId: 'o', brandId: 'b' }),
    type: 'post.published',
  },
  timbrix: {
    body: JSON.stringify({ id: 'evt_t1', event: 'member.added', timestamp: '2026-01-01T00:00:00Z', data: { memberId: 'm1' } }),
    type: 'member.added',
  },
};

/** Core's copy of the shared vectors (computed with plain node:crypto, see its `about`). */
export interface Vector {
  vendor: Vendor;
  name: string;
  body: string;
  headers: Record<string, string>;
  secret: string | string[];
  nowMs: number;
  options?: { allowUnsigned?: boolean; toleranceSec?: number };
  expect: { ok: boolean; type?: string; secretIndex?: number; code?: string; status?: number };
}

export const vectors: readonly Vector[] = (
  JSON.parse(readFileSync(new URL('../packages/core/test/fixtures/signatures.json', import.meta.url), 'utf8')) as { vectors: Vector[] }
).vectors;
