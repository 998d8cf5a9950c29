// What handlers get besides the event: the request's headers, the delivery's logger, and
// a signal that fires when the vendor was already answered (handlerTimeoutMs) or the
// server is closing. Signed with node:crypto.
import { createHmac } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { createReceiver, type HandlerContext, type WebhookLogFields, type WebhookLogger } from '../src/index.js';

const SECRET = 'whsec_handler-context-7c2a';
const BODY = JSON.stringify({ id: 'evt_ctx', event: 'member.added', timestamp: '2026-01-01T00:00:00Z', data: { memberId: 'm1' } });
// Timbrix API reference, "Create a new webhook": hex HMAC-SHA256 of the raw body in X-Webhook-Signature.
const headers = { 'content-type': 'application/json', 'x-webhook-signature': createHmac('sha256', SECRET).update(BODY).digest('hex'), 'user-agent': 'Timbrix-Webhooks/1.0' };

const sink = (): WebhookLogger & { messages: string[] } => {
  const messages: string[] = [];
  const at = (_f: WebhookLogFields, m: string) => void messages.push(m);
  return { error: at, warn: at, info: at, debug: at, messages };
};

describe('handler context', () => {
  it('every handler gets the request headers and the receiver logger', async () => {
    const logger = sink();
    const seen: HandlerContext[] = [];
    const receiver = createReceiver({ vendor: 'timbrix', secret: SECRET, logger })
      .on('member.added', (_event, context) => void seen.push(context))
      .onAny((_event, context) => void seen.push(context));
    const out = await receiver.receive({ body: BODY, headers });
    expect(out.status).toBe(200);
    expect(seen).toHaveLength(2);
    expect(seen[0]).toBe(seen[1]);
    expect(seen[0]!.headers).toBe(headers);
    expect(seen[0]!.log).toBe(logger);
    expect(seen[0]!.signal.aborted).toBe(false);
  });

  it("the port's logger when the options set none; a silent one with logger: false", async () => {
    const portLog = sink();
    const logs: WebhookLogger[] = [];
    const receiver = createReceiver({ vendor: 'timbrix', secret: SECRET, dedupe: false }).on('member.added', (_e, { log }) => void logs.push(log));
    await receiver.receive({ body: BODY, headers, log: portLog });
    expect(logs[0]).toBe(portLog);
    const off = createReceiver({ vendor: 'timbrix', secret: SECRET, logger: false }).on('member.added', (_e, { log }) => void logs.push(log));
    await off.receive({ body: BODY, headers, log: portLog });
    expect(logs[1]).not.toBe(portLog);
    logs[1]!.error({ webhook: { code: 'handler_error', status: 500 } }, 'goes nowhere');
    expect(portLog.messages).toEqual([]);
  });

  it("signal fires with reason 'answered' when handlerTimeoutMs answers before the handler ends", async () => {
    let release!: () => void;
    const done = new Promise<void>((r) => (release = r));
    let signal: AbortSignal | undefined;
    const receiver = createReceiver({ vendor: 'timbrix', secret: SECRET, handlerTimeoutMs: 20, logger: false }).on('member.added', async (_e, context) => {
      signal = context.signal;
      await done;
    });
    const out = await receiver.receive({ body: BODY, headers });
    expect([out.status, out.error?.code]).toEqual([503, 'handler_timeout']);
    expect(signal?.aborted).toBe(true);
    expect((signal?.reason as Error).message).toBe('answered');
    release();
  });

  it("signal fires with reason 'closing' when the server closes mid-handler, and the listener is removed after", async () => {
    const server = new EventEmitter();
    let signal: AbortSignal | undefined;
    let closed!: () => void;
    const closedSeen = new Promise<void>((r) => (closed = r));
    const receiver = createReceiver({ vendor: 'timbrix', secret: SECRET, logger: false }).on('member.added', async (_e, context) => {
      signal = context.signal;
      context.signal.addEventListener('abort', () => closed());
      server.emit('close');
      await closedSeen;
    });
    const out = await receiver.receive({ body: BODY, headers, closing: server });
    expect(out.status).toBe(200);
    expect((signal?.reason as Error).message).toBe('closing');
    expect(server.listenerCount('close')).toBe(0);
  });

  it('a handler that never reads signal adds no close listener', async () => {
    const server = new EventEmitter();
    let during = -1;
    const receiver = createReceiver({ vendor: 'timbrix', secret: SECRET, logger: false }).on('member.added', () => void (during = server.listenerCount('close')));
    await receiver.receive({ body: BODY, headers, closing: server });
    expect(during).toBe(0);
    expect(server.listenerCount('close')).toBe(0);
  });
});
