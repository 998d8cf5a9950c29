// The mock sender's wire format reads the vendor's signing scheme: Standard Webhooks
// (signed webhook-id, the same on every retry) and the recipes, each checked against an
// independent signature (plain node:crypto) and verified by core.
import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { verify } from '@hookproof/core';
import { github, paddle, recipes, slack, stripe } from '@hookproof/core/recipes';
import { createMockSender } from '@hookproof/mock-sender';
import { expectedSignature, startServer, type Recorded, type TestServer } from './helpers.js';

const SECRET = 'whsec_c2NoZW1lcy10ZXN0LXNlY3JldA';
let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const header = (rec: Recorded, name: string) => String(rec.headers[name.toLowerCase()]);

describe('mock sender: Standard Webhooks', () => {
  it('each retry is signed afresh with the same signed webhook-id; the signature is what the spec computes', async () => {
    let n = 0;
    server = await startServer(() => ({ status: ++n < 3 ? 500 : 200 }));
    const sender = createMockSender({ vendor: 'standard-webhooks', secret: SECRET, target: server.url, seed: 3 });
    const event = sender.event('invoice.paid');
    expect(event.payload).toMatchObject({ type: 'invoice.paid', data: {} });
    const log = await sender.deliver(event, { retries: 'vendor', clock: 'virtual' });
    expect(log.state).toBe('delivered');
    const requests = server.requests;
    expect(requests).toHaveLength(3);
    const ids = requests.map((r) => header(r, 'webhook-id'));
    expect(new Set(ids).size).toBe(1);
    expect(new Set(requests.map((r) => header(r, 'webhook-timestamp'))).size).toBe(3);
    for (const rec of requests) {
      const { header: name, value } = expectedSignature('standard-webhooks', SECRET, rec);
      expect(header(rec, name)).toBe(value);
      const ts = Number(header(rec, 'webhook-timestamp')) * 1000;
      const result = await verify({ vendor: 'standard-webhooks', secret: SECRET, body: rec.body, headers: rec.headers, now: () => ts });
      expect(result.ok && result.event.id).toBe(ids[0]);
    }
  });
});

describe('mock sender: recipes', () => {
  for (const recipe of recipes) {
    it(`${recipe.id}: a sent event verifies with core`, async () => {
      server = await startServer(() => ({ status: 200 }));
      const sender = createMockSender({ vendor: recipe, secret: SECRET, target: server.url, seed: 5 });
      const result = await sender.send(sender.event('thing.happened' as never));
      expect(result.status).toBe(200);
      const rec = server.requests[0]!;
      const verified = await verify({ vendor: recipe, secret: SECRET, body: rec.body, headers: rec.headers, now: () => result.request.signedAt });
      expect(verified.ok, verified.ok ? '' : verified.error.message).toBe(true);
      if (verified.ok) expect(String(verified.event.type)).toBe('thing.happened');
    });
  }

  it("the headers are the vendors' own, computed independently", async () => {
    server = await startServer(() => ({ status: 200 }));
    const hex = (content: string | Buffer) => createHmac('sha256', SECRET).update(content).digest('hex');
    for (const recipe of [stripe, github, slack, paddle]) {
      const sender = createMockSender({ vendor: recipe, secret: SECRET, target: server.url, seed: 9 });
      await sender.send(sender.event('thing.happened' as never));
    }
    const [s, g, l, p] = server.requests;
    const tS = /t=(\d+)/.exec(header(s!, 'stripe-signature'))![1]!;
    expect(header(s!, 'stripe-signature')).toBe(`t=${tS},v1=${hex(Buffer.concat([Buffer.from(`${tS}.`), s!.body]))}`);
    expect(header(g!, 'x-hub-signature-256')).toBe(`sha256=${hex(g!.body)}`);
    expect(header(g!, 'x-github-event')).toBe('thing.happened');
    const tL = header(l!, 'x-slack-request-timestamp');
    expect(header(l!, 'x-slack-signature')).toBe(`v0=${hex(Buffer.concat([Buffer.from(`v0:${tL}:`), l!.body]))}`);
    const tP = /ts=(\d+)/.exec(header(p!, 'paddle-signature'))![1]!;
    expect(header(p!, 'paddle-signature')).toBe(`ts=${tP};h1=${hex(Buffer.concat([Buffer.from(`${tP}:`), p!.body]))}`);
  });
});
