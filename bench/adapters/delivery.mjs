// The one delivery every server in bench/adapters receives: a ~1 KB Aidelly
// `post.published` envelope (the fields of Aidelly's guide, "Payload shape", plus the kind of extra data a real post
// carries), signed ONCE with plain node:crypto over the raw body, so every request
// verifies. Aidelly's `sha256=<hex>` over the body is byte for byte GitHub's
// X-Hub-Signature-256 scheme, so @octokit/webhooks gets the same bytes and the same
// signature value under its own header names: every server does the same work.
import { createHmac } from 'node:crypto';

export const SECRET = 'whsec_bench-adapters-9c1d7a';
export const PATH = '/hooks';
/** The same 1 MiB limit the adapters default to; the hand-written handlers enforce it too. */
export const MAX_BODY_BYTES = 1024 * 1024;

const caption =
  'We just shipped the spring collection: lighter fabrics, recycled fibres and a fit that works from the office to the weekend. ' +
  'Tap the link in our bio to see the full lookbook, and tell us which colour you want next. #spring #newin #sustainablefashion';

export const BODY = Buffer.from(
  JSON.stringify({
    event: 'post.published',
    workspace_id: 'ws_8f2c1e9a4b7d',
    brand_id: 'br_3a6e0c5f1d29',
    data: {
      post_id: 'post_01HZX4K7Q9M2V8R5T3N6B1C0DE',
      platform: 'linkedin',
      status: 'completed',
      published_at: '2026-02-18T17:30:00Z',
      platform_post_id: 'urn:li:share:7165432109876543210',
      caption,
      media: [
        { type: 'image', url: 'https://cdn.aidelly.example/media/ws_8f2c1e9a4b7d/2026/02/spring-lookbook-01.jpg', width: 1080, height: 1350 },
        { type: 'image', url: 'https://cdn.aidelly.example/media/ws_8f2c1e9a4b7d/2026/02/spring-lookbook-02.jpg', width: 1080, height: 1350 },
      ],
      scheduled_for: '2026-02-18T17:30:00Z',
      author: { id: 'usr_5b2d8e1f', name: 'Marketing Team' },
      permalink: 'https://www.linkedin.com/feed/update/urn:li:share:7165432109876543210/',
      tags: ['spring', 'lookbook', 'launch'],
    },
    created_at: '2026-02-18T17:30:02Z',
  }),
);

const hex = createHmac('sha256', SECRET).update(BODY).digest('hex');
export const SIGNATURE = `sha256=${hex}`;
const TAMPERED = `sha256=${hex.slice(0, -1)}${hex.endsWith('0') ? '1' : '0'}`;

/** Request headers for a server of `scheme` ('aidelly' or 'github'). */
export function headersFor(scheme, signature = SIGNATURE) {
  const common = { 'content-type': 'application/json' };
  if (scheme === 'github') {
    return { ...common, 'x-github-event': 'push', 'x-github-delivery': '72d3162e-cc78-11e3-81ab-4c9367dc0958', 'x-hub-signature-256': signature };
  }
  return { ...common, 'aidelly-signature': signature };
}

/** The same headers with one hex digit changed: every server must refuse them. */
export const tamperedHeadersFor = (scheme) => headersFor(scheme, TAMPERED);
