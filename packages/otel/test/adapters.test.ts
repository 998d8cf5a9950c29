// Every entry point publishes: through Express, Fastify, Koa and handleWebhook, a valid
// delivery, a forgery, a duplicate and a throwing handler each end as one span with the
// documented attributes (OpenTelemetry SDK, in-memory exporters) and, for the failures,
// one log record; no attribute, exception event or log line holds the secret or any
// 12-character piece of the MAC (hex or base64, computed with node:crypto here).
import { createHash, createHmac } from 'node:crypto';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import express from 'express';
import Fastify from 'fastify';
import Koa from 'koa';
import request from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createReceiver, handleWebhook, type Receiver, type WebhookLogFields, type WebhookLogger } from '@hookproof/core';
import { webhook as expressWebhook } from '@hookproof/express';
import hookproof from '@hookproof/fastify';
import { webhook as koaWebhook } from '@hookproof/koa';
import { ATTR } from '@hookproof/otel';
import { leaks, secretFragments, setupOtel, spanStrings, type Otel } from './harness.js';

const SECRET = 'whsec_otel-adapters-5b8e2f9c1a7d';
const BODY = JSON.stringify({
  event: 'post.published', workspace_id: 'w', brand_id: 'b',
  data: { post_id: 'p_otel', platform: 'linkedin', status: 'completed', published_at: '2026-02-18T17:30:00Z', platform_post_id: 'urn:li:share:9' },
  created_at: '2026-02-18T17:30:02Z',
});
/** Aidelly's header: `sha256=<hex>` of the raw body (Aidelly REST API guide, "Webhooks" page, "Signature verification"). */
const signed = (secret: string) => ({ 'content-type': 'application/json', 'aidelly-signature': `sha256=${createHmac('sha256', secret).update(BODY).digest('hex')}` });
/** Aidelly events carry no id: hookproof's is sha256 of the raw body, 32 hex digits. */
const EVENT_ID = `sha256:${createHash('sha256').update(BODY).digest('hex').slice(0, 32)}`;
const FRAGMENTS = [...secretFragments(SECRET, BODY), ...secretFragments('whsec_attacker-guess-0000', BODY)];

type Send = (headers: Record<string, string>) => Promise<number>;
interface Mounted {
  readonly send: Send;
  close(): Promise<void>;
}

/** A log sink that keeps every record, pino's argument order. */
function collector(): WebhookLogger & { lines: string[]; records: [string, WebhookLogFields, string][] } {
  const records: [string, WebhookLogFields, string][] = [];
  const lines: string[] = [];
  const at = (level: string) => (fields: WebhookLogFields, message: string) => {
    records.push([level, fields, message]);
    lines.push(message, JSON.stringify(fields, (_k, v: unknown) => (v instanceof Error ? `${v.name}: ${v.message}` : v)));
  };
  return { error: at('error'), warn: at('warn'), info: at('info'), debug: at('debug'), lines, records };
}

const ports: [string, (receiver: Receiver<'aidelly'>) => Promise<Mounted>][] = [
  [
    'express',
    async (receiver) => {
      const app = express();
      app.post('/hooks', expressWebhook(receiver));
      return { send: async (headers) => (await request(app).post('/hooks').set(headers).send(BODY)).status, close: async () => undefined };
    },
  ],
  [
    'fastify',
    async (receiver) => {
      const app = Fastify({ logger: false });
      await app.register(hookproof, { receiver, path: '/hooks' });
      await app.ready();
      return { send: async (headers) => (await app.inject({ method: 'POST', url: '/hooks', headers, payload: BODY })).statusCode, close: () => app.close() };
    },
  ],
  [
    'koa',
    async (receiver) => {
      const app = new Koa();
      app.silent = true;
      app.use(koaWebhook(receiver));
      return { send: async (headers) => (await request(app.callback()).post('/').set(headers).send(BODY)).status, close: async () => undefined };
    },
  ],
  [
    'handleWebhook',
    async (receiver) => ({
      send: async (headers) => (await handleWebhook(new Request('http://localhost/hooks', { method: 'POST', headers, body: BODY }), receiver)).status,
      close: async () => undefined,
    }),
  ],
];

let otel: Otel;
beforeAll(() => {
  otel = setupOtel();
});
afterAll(() => otel.close());
beforeEach(() => otel.reset());

function only(spans: ReadableSpan[]): ReadableSpan {
  const ours = spans.filter((s) => s.name.startsWith('webhook'));
  expect(ours).toHaveLength(1);
  return ours[0]!;
}

describe.each(ports)('through %s', (_name, mount) => {
  let failing = false;
  let logs: ReturnType<typeof collector>;
  let app: Mounted;
  beforeEach(async () => {
    failing = false;
    logs = collector();
    const receiver = createReceiver({ vendor: 'aidelly', secret: SECRET, logger: logs }).on('post.published', async () => {
      if (failing) throw new Error('db is down: ECONNREFUSED');
      // The app's own span (a DB call), started after an await: it must find the delivery's span active.
      await Promise.resolve();
      otel.tracerProvider.getTracer('app').startSpan('db.insert').end();
    });
    app = await mount(receiver);
    return () => app.close();
  });

  it('a valid delivery: one span, outcome ok, every attribute, no log record', async () => {
    expect(await app.send(signed(SECRET))).toBe(200);
    const span = only(otel.spans());
    expect(span.attributes).toMatchObject({
      [ATTR.vendor]: 'aidelly', [ATTR.eventType]: 'post.published', [ATTR.eventId]: EVENT_ID, [ATTR.outcome]: 'ok',
      [ATTR.secretIndex]: 0, [ATTR.status]: 200, [ATTR.dedupe]: 'new',
    });
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
    expect(logs.records).toEqual([]);
  });

  it("the delivery's span is active while the handlers run: a handler's own span is its child", async () => {
    expect(await app.send(signed(SECRET))).toBe(200);
    const delivery = only(otel.spans());
    const own = otel.spans().filter((s) => s.name === 'db.insert');
    expect(own).toHaveLength(1);
    expect(own[0]!.parentSpanContext?.spanId).toBe(delivery.spanContext().spanId);
    expect(own[0]!.spanContext().traceId).toBe(delivery.spanContext().traceId);
  });

  it('a forgery: outcome signature_mismatch, 401, no event attributes, one info record', async () => {
    expect(await app.send(signed('whsec_attacker-guess-0000'))).toBe(401);
    const span = only(otel.spans());
    expect(span.attributes).toMatchObject({ [ATTR.vendor]: 'aidelly', [ATTR.outcome]: 'signature_mismatch', [ATTR.status]: 401 });
    expect(span.attributes[ATTR.eventId]).toBeUndefined();
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
    expect(logs.records.map(([level, f]) => [level, f.webhook.code, f.webhook.vendor])).toEqual([['info', 'signature_mismatch', 'aidelly']]);
    expect(leaks([...spanStrings(span), ...logs.lines], FRAGMENTS)).toEqual([]);
  });

  it('a duplicate: outcome duplicate, 200, the event attributes, one debug record', async () => {
    expect(await app.send(signed(SECRET))).toBe(200);
    otel.reset();
    expect(await app.send(signed(SECRET))).toBe(200);
    const span = only(otel.spans());
    expect(span.attributes).toMatchObject({ [ATTR.eventType]: 'post.published', [ATTR.eventId]: EVENT_ID, [ATTR.outcome]: 'duplicate', [ATTR.status]: 200, [ATTR.dedupe]: 'duplicate' });
    expect(logs.records.map(([level, f]) => [level, f.webhook.code])).toEqual([['debug', 'duplicate']]);
  });

  it('a throwing handler: outcome handler_error, 500, status ERROR, the cause recorded and logged once', async () => {
    failing = true;
    expect(await app.send(signed(SECRET))).toBe(500);
    const span = only(otel.spans());
    expect(span.attributes).toMatchObject({ [ATTR.eventType]: 'post.published', [ATTR.eventId]: EVENT_ID, [ATTR.outcome]: 'handler_error', [ATTR.status]: 500 });
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
    expect(span.events.map((e) => e.attributes?.['exception.message'])).toEqual(['db is down: ECONNREFUSED']);
    expect(logs.records).toHaveLength(1);
    const [level, fields, message] = logs.records[0]!;
    expect([level, fields.webhook]).toEqual(['error', { code: 'handler_error', status: 500, vendor: 'aidelly', eventType: 'post.published', eventId: EVENT_ID }]);
    expect(message).toContain('Error: db is down: ECONNREFUSED');
    expect(leaks([...spanStrings(span), ...logs.lines], FRAGMENTS)).toEqual([]);
  });
});

describe('the HTTP server span', () => {
  it('a delivery inside the server span (what instrumentation-http makes active) is its child, in the same trace', async () => {
    const receiver = createReceiver({ vendor: 'aidelly', secret: SECRET, logger: false, dedupe: false });
    const server = otel.tracerProvider.getTracer('http').startSpan('POST /hooks', { kind: SpanKind.SERVER });
    const status = await context.with(trace.setSpan(context.active(), server), () =>
      handleWebhook(new Request('http://localhost/hooks', { method: 'POST', headers: signed(SECRET), body: BODY }), receiver).then((r) => r.status),
    );
    server.end();
    expect(status).toBe(200);
    const ours = otel.spans().find((s) => s.name === 'webhook aidelly')!;
    expect(ours.parentSpanContext?.spanId).toBe(server.spanContext().spanId);
    expect(ours.spanContext().traceId).toBe(server.spanContext().traceId);
    expect(ours.kind).toBe(SpanKind.INTERNAL);
  });
});
