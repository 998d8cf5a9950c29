import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** The conformance vectors, copied unchanged from shared/vectors (computed with plain node:crypto). */
export interface Vector {
  vendor: 'autoposting' | 'aidelly' | 'audenci' | 'timbrix';
  name: string;
  body: string;
  headers: Record<string, string>;
  secret: string | string[];
  nowMs: number;
  options?: { allowUnsigned?: boolean; toleranceSec?: number };
  expect: { ok: boolean; type?: string; secretIndex?: number; code?: string; status?: number };
}

export const vectorFile = JSON.parse(
  readFileSync(new URL('./fixtures/signatures.json', import.meta.url), 'utf8'),
) as { nowMs: number; vectors: Vector[] };

/** Independent expectation: HMAC-SHA256 with plain node:crypto, lowercase hex. */
export function hmacHex(secret: string, content: string | Buffer): string {
  return createHmac('sha256', secret).update(content).digest('hex');
}

export const SECRET = 'whsec_c29tZS1zaWduaW5nLXNlY3JldA';
export const NOW_MS = 1767225600000;
export const NOW_S = NOW_MS / 1000;

/** Headers a vendor sends, built by hand from VENDORS.md, signed with node:crypto. */
export function handSigned(
  vendor: Vector['vendor'],
  body: string,
  secret = SECRET,
  ts = String(NOW_S),
): Record<string, string> {
  switch (vendor) {
    case 'autoposting':
      return { 'X-Autoposting-Signature': hmacHex(secret, `${ts}.${body}`), 'X-Autoposting-Timestamp': ts };
    case 'aidelly':
      return { 'Aidelly-Signature': `sha256=${hmacHex(secret, body)}` };
    case 'audenci':
      return { 'X-Audenci-Signature': hmacHex(secret, body) };
    case 'timbrix':
      return { 'X-Webhook-Signature': hmacHex(secret, body) };
  }
}

export const sampleBodies: Record<Vector['vendor'], string> = {
  autoposting: JSON.stringify({ id: 'evt_1', event: 'post.published', timestamp: '2026-01-01T00:00:00.000Z', orgId: 'org_1', data: { postId: 'p1' } }),
  aidelly: JSON.stringify({ event: 'post.published', workspace_id: 'w', brand_id: 'b', data: { post_id: 'p', platform: 'linkedin', status: 'completed', published_at: '2026-02-18T17:30:00Z', platform_post_id: 'urn:li:share:1' }, created_at: '2026-02-18T17:30:02Z' }),
  audenci: JSON.stringify({ event: 'post.published', timestamp: '2026-02-03T10:30:00Z', data: { postId: 'clx123abc', title: 'T', platforms: ['instagram'], scheduledFor: '2026-02-03T10:00:00Z', platformResults: {} }, organizationId: 'o', brandId: 'b' }),
  timbrix: JSON.stringify({ event: 'member.added', timestamp: '2026-01-01T00:00:00Z', data: { memberId: 'm1' } }),
};
