// Without a `logger` option, a failure the app must act on is emitted on the Koa app
// (`app.on('error')`, where Koa's default handler prints it): once, naming the cause;
// a forgery is not an app error.
import Koa from 'koa';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createReceiver, webhook } from '@hookproof/koa';
import { sample, SECRET, signedHeaders } from '../../../conformance/signing.js';

const post = (app: Koa, secret = SECRET) =>
  request(app.callback()).post('/').set({ 'content-type': 'application/json', ...Object.fromEntries(signedHeaders('aidelly', sample.aidelly.body, secret)) }).send(sample.aidelly.body);

describe("default logging through app.emit('error')", () => {
  it('a throwing handler: one error event, one line, with the webhook fields and the cause', async () => {
    const app = new Koa();
    const errors: unknown[] = [];
    app.on('error', (error: unknown) => void errors.push(error));
    app.use(webhook(createReceiver({ vendor: 'aidelly', secret: SECRET }).onAny(() => {
      throw new Error('db is down: ECONNREFUSED');
    })));
    expect((await post(app)).status).toBe(500);
    expect(errors).toHaveLength(1);
    const error = errors[0] as Error & { webhook: { code: string; vendor: string }; expose: boolean };
    expect(error.name).toBe('WebhookDeliveryError');
    expect(error.message).toMatch(/^hookproof: aidelly post\.published sha256:[0-9a-f]{32}: handler_error \(500\): .* Cause: Error: db is down: ECONNREFUSED$/);
    expect(error.stack).not.toMatch(/\n/);
    expect((error.cause as Error).message).toBe('db is down: ECONNREFUSED');
    expect([error.webhook.code, error.webhook.vendor, error.expose]).toEqual(['handler_error', 'aidelly', false]);
  });

  it('a forgery and a valid delivery emit nothing', async () => {
    const app = new Koa();
    const errors: unknown[] = [];
    app.on('error', (error: unknown) => void errors.push(error));
    app.use(webhook(createReceiver({ vendor: 'aidelly', secret: SECRET })));
    expect((await post(app, 'whsec_guess')).status).toBe(401);
    expect((await post(app)).status).toBe(200);
    expect(errors).toEqual([]);
  });
});
