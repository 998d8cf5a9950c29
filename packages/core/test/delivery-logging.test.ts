// Failures are visible without configuration: handleWebhook and createReceiver log each
// failure once, one console line, at its level; `logger` replaces or turns it off. No
// line holds the secret or any 12-character piece of the MAC (node:crypto, hex and base64).
import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { consoleLogger, createReceiver, handleWebhook, type WebhookLogFields } from '../src/index.js';

const SECRET = 'whsec_delivery-logging-41d9';
const BODY = JSON.stringify({ id: 'evt_log', event: 'member.added', timestamp: '2026-01-01T00:00:00Z', data: { memberId: 'm1' } });
// Timbrix API reference, "Create a new webhook": hex HMAC-SHA256 of the raw body in X-Webhook-Signature.
const mac = (secret: string) => createHmac('sha256', secret).update(BODY).digest();
const post = (secret = SECRET) =>
  new Request('http://localhost/hooks', { method: 'POST', headers: { 'content-type': 'application/json', 'x-webhook-signature': mac(secret).toString('hex') }, body: BODY });
const fragments = [SECRET, mac(SECRET).toString('hex'), mac(SECRET).toString('base64'), mac('whsec_guess').toString('hex')].flatMap((s) => Array.from({ length: s.length - 11 }, (_, i) => s.slice(i, i + 12)));

function capture() {
  const lines: [string, string][] = [];
  for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void lines.push([method, args.map(String).join(' ')]));
  }
  return lines;
}

afterEach(() => vi.restoreAllMocks());

describe('default logging (handleWebhook, createReceiver)', () => {
  it('a throwing handler: one console.error line with code, vendor, type, id and the cause', async () => {
    const lines = capture();
    const options = {
      vendor: 'timbrix' as const, secret: SECRET,
      onEvent: () => {
        throw new Error('db is down: ECONNREFUSED');
      },
    };
    expect((await handleWebhook(post(), options)).status).toBe(500);
    expect(lines).toEqual([['error', 'hookproof: timbrix member.added evt_log: handler_error (500): The event handler failed; the vendor will retry. Cause: Error: db is down: ECONNREFUSED']]);
  });

  it('a forgery and a duplicate print nothing by default (an attacker controls their rate)', async () => {
    const lines = capture();
    const options = { vendor: 'timbrix' as const, secret: SECRET };
    expect((await handleWebhook(post('whsec_guess'), options)).status).toBe(401);
    expect((await handleWebhook(post(), options)).status).toBe(200);
    expect((await handleWebhook(post(), options)).status).toBe(200);
    expect(lines).toEqual([]);
  });

  it("consoleLogger('info') prints the forgery as one line, with no piece of the secret or the MAC", async () => {
    const lines = capture();
    expect((await handleWebhook(post('whsec_guess'), { vendor: 'timbrix', secret: SECRET, logger: consoleLogger('info') })).status).toBe(401);
    expect(lines.map(([m, l]) => [m, l.slice(0, 40)])).toEqual([['warn', 'hookproof: timbrix: signature_mismatch (']]);
    expect(fragments.filter((f) => lines.some(([, l]) => l.includes(f)))).toEqual([]);
  });

  it('logger: false prints nothing, even for a throwing handler', async () => {
    const lines = capture();
    const receiver = createReceiver({ vendor: 'timbrix', secret: SECRET, logger: false }).onAny(() => {
      throw new Error('boom');
    });
    expect((await handleWebhook(post(), receiver)).status).toBe(500);
    expect(lines).toEqual([]);
  });

  it('a handler that fails after an early 202 is still logged (the event is lost: someone must see it)', async () => {
    const records: [string, WebhookLogFields][] = [];
    const at = (level: string) => (fields: WebhookLogFields) => void records.push([level, fields]);
    let fail!: (e: Error) => void;
    const failing = new Promise<void>((_, reject) => (fail = reject));
    const receiver = createReceiver({ vendor: 'timbrix', secret: SECRET, handlerTimeoutMs: 10, earlyAck: true, logger: { error: at('error'), warn: at('warn'), info: at('info'), debug: at('debug') } }).onAny(() => failing);
    expect((await receiver.receive({ body: BODY, headers: { 'x-webhook-signature': mac(SECRET).toString('hex') } })).status).toBe(202);
    fail(new Error('late'));
    await vi.waitFor(() => expect(records.map(([l, f]) => [l, f.webhook.code])).toEqual([['error', 'handler_error']]));
  });

  it('a logger option that is not a logger is a TypeError naming the fix', () => {
    expect(() => createReceiver({ vendor: 'timbrix', secret: SECRET, logger: 'pino' as never })).toThrow(/`logger` must be a logger/);
  });
});
