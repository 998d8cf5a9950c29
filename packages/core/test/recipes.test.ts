// Recipes (`@hookproof/core/recipes`) against each vendor's official signer where one is
// on npm (stripe, @octokit/webhooks-methods, @shopify/shopify-api's test helper), else the
// vendor's published algorithm written out here with plain node:crypto (Slack, Zoom,
// Paddle). Per recipe: a valid delivery, a tampered one, rotation with the new signature
// first and last, and a stale timestamp where the scheme signs one.
import { createHmac } from 'node:crypto';
import { sign as octokitSign } from '@octokit/webhooks-methods';
import { getHmac as shopifyHmac } from '@shopify/shopify-api/test-helpers';
import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { sign, verify, type HeadersLike, type VendorProfile } from '@hookproof/core';
import { github, paddle, recipes, shopify, slack, stripe, zoom } from '@hookproof/core/recipes';

const NOW_S = 1767225600;
const NOW_MS = NOW_S * 1000;
const now = () => NOW_MS;
const stripeClient = new Stripe('sk_test_hookproof_recipes');

const hmacHex = (secret: string, content: string) => createHmac('sha256', secret).update(content).digest('hex');

interface RecipeCase {
  recipe: VendorProfile;
  body: string;
  type: string;
  /** Signs `body` (or another body) the vendor's way with `secret` at `ts` (unix s). */
  signed(secret: string, body: string, ts: number): Promise<Record<string, string>>;
  /** Headers carrying two signatures, `first` then `second`, where the scheme can carry several. */
  twoSignatures?(first: string, second: string, body: string, ts: number): Promise<Record<string, string>>;
  /** The window in seconds, where a timestamp is signed. */
  toleranceSec?: number;
  extra?: Record<string, string>;
}

const stripeBody = JSON.stringify({ id: 'evt_1NG8Du2eZvKYlo2CUI79vXWy', object: 'event', type: 'invoice.paid', data: { object: { id: 'in_1', amount_paid: 2000 } } });
const githubBody = JSON.stringify({ action: 'opened', issue: { number: 1347, title: 'Found a bug' }, repository: { full_name: 'octocat/Hello-World' } });
const shopifyBody = JSON.stringify({ id: 820982911946154508, email: 'jon@example.com', total_price: '199.65' });
const slackBody = JSON.stringify({ token: 'Jhj5dZrVaK7ZwHHjRyZWjbDl', team_id: 'T061EG9RZ', type: 'event_callback', event_id: 'Ev0PV52K21', event: { type: 'app_mention', text: 'hi' } });
const zoomBody = JSON.stringify({ event: 'meeting.started', event_ts: 1767225600123, payload: { account_id: 'AAAAAABBBB', object: { id: '1234567890', topic: 'My Meeting' } } });
const paddleBody = JSON.stringify({ event_id: 'evt_01h8bzakzx3hm2fmen703n5q45', event_type: 'transaction.completed', occurred_at: '2026-01-01T00:00:00.000Z', notification_id: 'ntf_01h8bzam1z32agrxjwhjgqk8w6', data: { id: 'txn_01h8bxpvx398a7zbawb77y0kp5' } });

const cases: Record<string, RecipeCase> = {
  stripe: {
    recipe: stripe,
    body: stripeBody,
    type: 'invoice.paid',
    toleranceSec: 300,
    signed: async (secret, body, ts) => ({ 'Stripe-Signature': stripeClient.webhooks.generateTestHeaderString({ payload: body, secret, timestamp: ts }) }),
    async twoSignatures(first, second, body, ts) {
      const a = stripeClient.webhooks.generateTestHeaderString({ payload: body, secret: first, timestamp: ts });
      const b = stripeClient.webhooks.generateTestHeaderString({ payload: body, secret: second, timestamp: ts });
      // Stripe's header during a secret roll: `t=…,v1=<new>,v1=<old>` (and a v0 entry that is never an HMAC of ours).
      return { 'Stripe-Signature': `${a},${b.split(',')[1]!},v0=${'0'.repeat(64)}` };
    },
  },
  github: {
    recipe: github,
    body: githubBody,
    type: 'issues',
    signed: async (secret, body) => ({ 'X-Hub-Signature-256': await octokitSign(secret, body), 'X-GitHub-Event': 'issues', 'X-GitHub-Delivery': '72d3162e-cc78-11e3-81ab-4c9367dc0958' }),
  },
  shopify: {
    recipe: shopify,
    body: shopifyBody,
    type: 'orders/create',
    signed: async (secret, body) => ({ 'X-Shopify-Hmac-Sha256': shopifyHmac(body, secret), 'X-Shopify-Topic': 'orders/create', 'X-Shopify-Webhook-Id': 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043' }),
  },
  slack: {
    recipe: slack,
    body: slackBody,
    type: 'event_callback',
    toleranceSec: 300,
    // Slack's published algorithm ("Verifying requests from Slack"): v0= + hex HMAC-SHA256 of `v0:<timestamp>:<body>`.
    signed: async (secret, body, ts) => ({ 'X-Slack-Signature': `v0=${hmacHex(secret, `v0:${ts}:${body}`)}`, 'X-Slack-Request-Timestamp': String(ts) }),
  },
  zoom: {
    recipe: zoom,
    body: zoomBody,
    type: 'meeting.started',
    toleranceSec: 300,
    // Zoom's published algorithm ("Verify webhook events"): v0= + hex HMAC-SHA256 of `v0:<timestamp>:<body>`.
    signed: async (secret, body, ts) => ({ 'x-zm-signature': `v0=${hmacHex(secret, `v0:${ts}:${body}`)}`, 'x-zm-request-timestamp': String(ts) }),
  },
  paddle: {
    recipe: paddle,
    body: paddleBody,
    type: 'transaction.completed',
    toleranceSec: 5,
    // Paddle's published algorithm ("Verify webhook signatures"): `ts=<ts>;h1=<hex HMAC-SHA256 of "<ts>:<body>">`.
    signed: async (secret, body, ts) => ({ 'Paddle-Signature': `ts=${ts};h1=${hmacHex(secret, `${ts}:${body}`)}` }),
    async twoSignatures(first, second, body, ts) {
      return { 'Paddle-Signature': `ts=${ts};h1=${hmacHex(first, `${ts}:${body}`)};h1=${hmacHex(second, `${ts}:${body}`)}` };
    },
  },
};

const NEW = 'whsec_new_2f8e1c9a7b3d5f6e4a2c0b8d';
const OLD = 'whsec_old_9a7b3d5f6e4a2c0b8d2f8e1c';

const check = (recipe: VendorProfile, secret: string | string[], body: string, headers: HeadersLike, nowMs = NOW_MS) =>
  verify({ vendor: recipe, secret, body, headers, now: () => nowMs });

describe('@hookproof/core/recipes', () => {
  it('exports stripe, github, slack, shopify, paddle and zoom, also as a list', () => {
    expect(Object.keys(cases).sort()).toEqual(['github', 'paddle', 'shopify', 'slack', 'stripe', 'zoom']);
    expect(recipes.map((r) => r.id).sort()).toEqual(['github', 'paddle', 'shopify', 'slack', 'stripe', 'zoom']);
  });

  for (const [name, c] of Object.entries(cases)) {
    describe(name, () => {
      it('accepts a delivery signed by the vendor signer', async () => {
        const result = await check(c.recipe, NEW, c.body, await c.signed(NEW, c.body, NOW_S));
        expect(result.ok, result.ok ? '' : `${result.error.code}: ${result.error.message}`).toBe(true);
        if (result.ok) {
          expect(String(result.event.type)).toBe(c.type);
          expect(result.event.payload).toEqual(JSON.parse(c.body));
          expect(result.secretIndex).toBe(0);
        }
      });

      it('refuses a tampered body', async () => {
        const headers = await c.signed(NEW, c.body, NOW_S);
        const result = await check(c.recipe, NEW, c.body.replace(/}$/, ',"x":1}'), headers);
        expect(result.ok).toBe(false);
        if (!result.ok) expect(result.error.code).toBe('signature_mismatch');
      });

      it('refuses another secret', async () => {
        const result = await check(c.recipe, OLD, c.body, await c.signed(NEW, c.body, NOW_S));
        expect(result.ok).toBe(false);
        if (!result.ok) expect(result.error.code).toBe('signature_mismatch');
      });

      it('rotation: the new secret first or last; secretIndex names it', async () => {
        const headers = await c.signed(NEW, c.body, NOW_S);
        const first = await check(c.recipe, [NEW, OLD], c.body, headers);
        const last = await check(c.recipe, [OLD, NEW], c.body, headers);
        expect(first.ok && first.secretIndex).toBe(0);
        expect(last.ok && last.secretIndex).toBe(1);
      });

      if (c.twoSignatures !== undefined) {
        it('rotation: a header with the new signature first and with it last', async () => {
          for (const [a, b] of [[NEW, OLD], [OLD, NEW]] as const) {
            const headers = await c.twoSignatures!(a, b, c.body, NOW_S);
            const onlyNew = await check(c.recipe, NEW, c.body, headers);
            expect(onlyNew.ok, `${a === NEW ? 'new first' : 'new last'}`).toBe(true);
            const onlyOld = await check(c.recipe, ['whsec_unrelated', OLD], c.body, headers);
            expect(onlyOld.ok && onlyOld.secretIndex).toBe(1);
          }
        });
      }

      if (c.toleranceSec !== undefined) {
        it(`refuses a timestamp outside its ${c.toleranceSec} s window, accepts one inside`, async () => {
          const stale = await check(c.recipe, NEW, c.body, await c.signed(NEW, c.body, NOW_S - c.toleranceSec! - 1));
          expect(stale.ok).toBe(false);
          if (!stale.ok) expect(stale.error.code).toBe('timestamp_out_of_tolerance');
          const future = await check(c.recipe, NEW, c.body, await c.signed(NEW, c.body, NOW_S + c.toleranceSec! + 1));
          expect(future.ok).toBe(false);
          const inside = await check(c.recipe, NEW, c.body, await c.signed(NEW, c.body, NOW_S - c.toleranceSec! + 1));
          expect(inside.ok).toBe(true);
        });
      }

      it('sign() writes what the vendor signer writes, and verify() reads it', async () => {
        const ours = await sign({ vendor: c.recipe, secret: NEW, body: c.body, timestamp: NOW_S });
        const theirs = await c.signed(NEW, c.body, NOW_S);
        const lower = (h: Record<string, string>) => Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));
        const sigHeader = c.recipe.signatureHeader.toLowerCase();
        expect(lower(ours)[sigHeader]).toBe(lower(theirs)[sigHeader]);
        const result = await check(c.recipe, NEW, c.body, { ...theirs, ...ours });
        expect(result.ok).toBe(true);
      });
    });
  }

  it('stripe: the official library accepts what sign() writes (constructEvent)', async () => {
    const headers = await sign({ vendor: stripe, secret: NEW, body: stripeBody, timestamp: Math.floor(Date.now() / 1000) });
    const event = stripeClient.webhooks.constructEvent(stripeBody, headers['stripe-signature']!, NEW);
    expect(event.type).toBe('invoice.paid');
  });

  it('slack: a form-encoded slash-command body verifies and parses to its fields', async () => {
    const body =
      'token=gIkuvaNzQIHg97ATvDxqgjtO&team_id=T0001&team_domain=example&channel_id=C2147483705&channel_name=test&user_id=U2147483697&user_name=Steve&command=%2Fweather&text=94070&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2F1234%2F5678&trigger_id=13345224609.738474920.8088930838d88f008e0';
    const headers = { 'X-Slack-Signature': `v0=${hmacHex(NEW, `v0:${NOW_S}:${body}`)}`, 'X-Slack-Request-Timestamp': String(NOW_S), 'Content-Type': 'application/x-www-form-urlencoded' };
    const result = await check(slack, NEW, body, headers);
    expect(result.ok, result.ok ? '' : result.error.message).toBe(true);
    if (result.ok) {
      expect(String(result.event.type)).toBe('/weather');
      expect(result.event.payload).toMatchObject({ command: '/weather', text: '94070', user_name: 'Steve' });
    }
    const tampered = await check(slack, NEW, body.replace('94070', '94071'), headers);
    expect(tampered.ok).toBe(false);
  });

  it('stripe: a v0 entry and an unknown label are never tried as an HMAC', async () => {
    const mac = hmacHex(NEW, `${NOW_S}.${stripeBody}`);
    for (const label of ['v0', 'v2', 'v1a']) {
      const result = await check(stripe, NEW, stripeBody, { 'Stripe-Signature': `t=${NOW_S},${label}=${mac}` });
      expect(result.ok, label).toBe(false);
    }
  });
});
