// Realistic webhook bodies of an exact byte size: one envelope that fits every scheme
// under test (Autoposting's `id`/`event`/`timestamp`/`orgId`, Aidelly's `workspace_id`/
// `brand_id`/`created_at`), with a `data` object shaped like a published post. Captions
// carry some non-ASCII text (accents, dashes, emoji), as real social posts do, so UTF-8
// decoding and JSON.parse see two-byte strings, not only ASCII.

const CAPTIONS = [
  'New drop is live! Check the link in bio for early access.',
  'Café latte art — behind the scenes at our Zürich studio ☕',
  'Thanks for 10k followers 🚀 giveaway details below',
  'Quarterly report: engagement up 14% on short-form video.',
];

function mediaItem(i) {
  return {
    id: `med_${String(i).padStart(6, '0')}`,
    type: i % 3 === 0 ? 'video' : 'image',
    url: `https://cdn.example.com/u/8f3a/${i}.jpg`,
    width: 1080,
    height: i % 2 === 0 ? 1350 : 1920,
    alt: CAPTIONS[i % CAPTIONS.length],
    metrics: { views: 1000 + i * 37, likes: 90 + i, shares: i % 11, saved: i % 7 === 0 },
  };
}

function envelope(media, pad) {
  return {
    id: 'evt_01HZX3K9V7Q2M8N4P6R1S5T0W',
    event: 'post.published',
    timestamp: '2025-06-01T12:00:00.000Z',
    orgId: 'org_5f2c9a',
    workspace_id: 'ws_84d1b7',
    brand_id: 'br_2a9e04',
    created_at: '2025-06-01T12:00:00.000Z',
    data: {
      post_id: 'post_7c1e5d',
      platform: 'instagram',
      status: 'published',
      published_at: '2025-06-01T11:59:58.000Z',
      platform_post_id: '17912345678901234',
      caption: CAPTIONS[1],
      hashtags: ['coffee', 'zurich', 'latteart'],
      media,
      note: pad,
    },
  };
}

/** A JSON string of exactly `bytes` UTF-8 bytes (throws if the envelope alone is larger). */
export function jsonBody(bytes) {
  const media = [];
  let text = JSON.stringify(envelope(media, ''));
  while (Buffer.byteLength(JSON.stringify(envelope([...media, mediaItem(media.length)], ''))) <= bytes) {
    media.push(mediaItem(media.length));
  }
  text = JSON.stringify(envelope(media, ''));
  const missing = bytes - Buffer.byteLength(text);
  if (missing < 0) throw new Error(`envelope alone is ${Buffer.byteLength(text)} bytes, more than ${bytes}`);
  text = JSON.stringify(envelope(media, 'x'.repeat(missing)));
  if (Buffer.byteLength(text) !== bytes) throw new Error('body size mismatch');
  return text;
}
