// Deliveries signed with plain node:crypto, independently of hookproof's sign().
// Shared by esm.mjs, cjs.cjs and web.mjs so all three builds see the same bytes.
const { createHmac } = require('node:crypto');

const secret = 'whsec_scratch_project_secret';
const nowMs = Date.UTC(2026, 0, 1);
const hmacHex = (key, data) => createHmac('sha256', key).update(data).digest('hex');

const aidellyBody = JSON.stringify({
  event: 'post.published',
  workspace_id: 'ws_1',
  brand_id: 'br_1',
  data: { post_id: 'p_1', platform: 'linkedin', status: 'completed', published_at: '2026-01-01T00:00:00Z', platform_post_id: 'urn:li:share:1' },
  created_at: '2026-01-01T00:00:00Z',
});
const ts = String(Math.floor(nowMs / 1000));
const autopostingBody = JSON.stringify({ id: 'evt_1', event: 'post.failed', timestamp: '2026-01-01T00:00:00.000Z', orgId: 'org_1', data: {} });

module.exports = {
  secret,
  nowMs,
  aidelly: {
    body: aidellyBody,
    headers: { 'Aidelly-Signature': `sha256=${hmacHex(secret, aidellyBody)}`, 'content-type': 'application/json' },
  },
  autoposting: {
    body: autopostingBody,
    headers: {
      'x-autoposting-signature': hmacHex(secret, `${ts}.${autopostingBody}`),
      'x-autoposting-timestamp': ts,
      'x-autoposting-delivery': 'dlv_1',
    },
  },
};
