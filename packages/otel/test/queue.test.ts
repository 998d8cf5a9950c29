// The durable queue, traced: with bullmqQueue, the write in the web request is a PRODUCER
// span (child of the delivery's span) and each worker attempt a CONSUMER span linked to it,
// the trace context carried in the job as a W3C traceparent. A real redis-server from PATH
// (started here, as packages/bullmq's tests do), the OpenTelemetry SDK's in-memory exporter.
import { createHmac } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createReceiver, type QueuedDelivery } from '@hookproof/core';
import { bullmqQueue, startWorker, type BullmqWebhookQueue, type WebhookWorker } from '@hookproof/bullmq';
import { ATTR } from '@hookproof/otel';
import { findRedisServer, startRedisServer, type RedisServer } from '../../bullmq/test/support/redis-server.js';
import { setupOtel, type Otel } from './harness.js';

const SECRET = 'whsec_otel-queue-7c1e4a9b2d';
const bin = findRedisServer();

/** Aidelly's header: `sha256=<hex>` of the raw body (Aidelly REST API guide, "Webhooks" page, "Signature verification"). */
const signed = (body: string) => ({ 'content-type': 'application/json', 'aidelly-signature': `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}` });
const bodyOf = (postId: string) => JSON.stringify({ event: 'post.published', created_at: '2026-02-18T17:30:02Z', data: { post_id: postId } });

async function until(condition: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

let otel: Otel;
let redis: RedisServer | undefined;
let n = 0;
beforeAll(async () => {
  otel = setupOtel();
  if (bin !== null) redis = await startRedisServer(bin);
}, 30_000);
afterAll(async () => {
  await otel.close();
  await redis?.stop();
});
beforeEach(() => otel.reset());

describe.skipIf(bin === null)('the durable queue: a producer span for the write, a consumer span in the worker, linked', () => {
  async function setup(handler: (attempt: number) => void | Promise<void>): Promise<{ queue: BullmqWebhookQueue; worker: WebhookWorker; receiver: ReturnType<typeof build>; close(): Promise<void> }> {
    const name = `otel-q${++n}-${process.pid}`;
    const connection = { host: '127.0.0.1', port: redis!.port };
    const queue = bullmqQueue({ connection, name, backoff: { type: 'fixed', delay: 20 }, attempts: 2, onWarning: () => undefined });
    const receiver = build(queue, handler);
    const worker = startWorker(receiver, { connection, name });
    return { queue, worker, receiver, close: async () => (await worker.close(), await queue.close()) };
  }
  function build(queue: BullmqWebhookQueue, handler: (attempt: number) => void | Promise<void>) {
    let attempt = 0;
    return createReceiver({ vendor: 'aidelly', secret: SECRET, logger: false, queue }).on('post.published', async () => {
      await Promise.resolve();
      otel.tracerProvider.getTracer('app').startSpan('db.insert').end();
      await handler(++attempt);
    });
  }
  const named = (spans: ReadableSpan[], name: string) => spans.filter((s) => s.name === name);

  it('202 in the request: PRODUCER span under the delivery span; the worker: CONSUMER span linked to it, the handler span its child', async () => {
    const q = await setup(() => undefined);
    try {
      const body = bodyOf('p_link');
      const answer = await q.receiver.receive({ body, headers: signed(body) });
      expect(answer.status).toBe(202);
      await until(() => named(otel.spans(), 'db.insert').length === 1, 'the handler span');
      await until(() => named(otel.spans(), 'process webhook aidelly').length === 1, 'the consumer span');
      const spans = otel.spans();
      const [delivery] = named(spans, 'webhook aidelly');
      const [producer] = named(spans, 'send webhook aidelly');
      const [consumer] = named(spans, 'process webhook aidelly');
      const [own] = named(spans, 'db.insert');
      expect(delivery!.attributes[ATTR.outcome]).toBe('ok');
      expect(delivery!.attributes[ATTR.status]).toBe(202);
      expect(producer!.kind).toBe(SpanKind.PRODUCER);
      expect(producer!.parentSpanContext?.spanId).toBe(delivery!.spanContext().spanId);
      expect(producer!.attributes).toMatchObject({ [ATTR.vendor]: 'aidelly', [ATTR.eventType]: 'post.published', [ATTR.messagingOperation]: 'send', [ATTR.messagingSystem]: 'hookproof' });
      expect(consumer!.kind).toBe(SpanKind.CONSUMER);
      expect(consumer!.attributes).toMatchObject({ [ATTR.eventId]: producer!.attributes[ATTR.eventId], [ATTR.messagingOperation]: 'process', [ATTR.attempt]: 1 });
      expect(consumer!.links.map((l) => [l.context.traceId, l.context.spanId])).toEqual([[producer!.spanContext().traceId, producer!.spanContext().spanId]]);
      // The handler's own span is a child of the consumer span, not of the (finished) request.
      expect(own!.parentSpanContext?.spanId).toBe(consumer!.spanContext().spanId);
      // The job holds the trace context as a W3C traceparent of the producer span.
      const job = (await q.queue.queue.getJobs(['completed']))[0]!;
      const data: QueuedDelivery = job.data;
      expect(data.trace).toEqual({ traceparent: `00-${producer!.spanContext().traceId}-${producer!.spanContext().spanId}-01` });
    } finally {
      await q.close();
    }
  }, 30_000);

  it('a failed attempt: its consumer span has status ERROR and the exception; the retry gets its own linked span', async () => {
    const q = await setup((attempt) => {
      if (attempt === 1) throw new Error('db is down: ECONNREFUSED');
    });
    try {
      const body = bodyOf('p_retry');
      expect((await q.receiver.receive({ body, headers: signed(body) })).status).toBe(202);
      await until(() => named(otel.spans(), 'process webhook aidelly').length === 2, 'two consumer spans');
      const producer = named(otel.spans(), 'send webhook aidelly')[0]!;
      const [first, second] = named(otel.spans(), 'process webhook aidelly').sort((a, b) => Number(a.attributes[ATTR.attempt]) - Number(b.attributes[ATTR.attempt]));
      expect(first!.status.code).toBe(SpanStatusCode.ERROR);
      expect(first!.events.map((e) => e.attributes?.['exception.message'])).toEqual(['db is down: ECONNREFUSED']);
      expect(second!.status.code).toBe(SpanStatusCode.UNSET);
      expect(second!.attributes[ATTR.attempt]).toBe(2);
      for (const span of [first!, second!]) expect(span.links[0]?.context.spanId).toBe(producer.spanContext().spanId);
    } finally {
      await q.close();
    }
  }, 30_000);

  it('a write that fails (the queue is closing): 503, the PRODUCER span has status ERROR, no consumer span', async () => {
    const q = await setup(() => undefined);
    await q.queue.close();
    try {
      const body = bodyOf('p_closed');
      expect((await q.receiver.receive({ body, headers: signed(body) })).status).toBe(503);
      const [producer] = named(otel.spans(), 'send webhook aidelly');
      expect(producer!.status.code).toBe(SpanStatusCode.ERROR);
      expect(producer!.events.map((e) => e.attributes?.['exception.type'])).toEqual(['QueueClosedError']);
      expect(named(otel.spans(), 'webhook aidelly')[0]!.attributes[ATTR.outcome]).toBe('queue_unavailable');
      expect(named(otel.spans(), 'process webhook aidelly')).toEqual([]);
    } finally {
      await q.close();
    }
  }, 30_000);

  it('with nothing subscribed, the job carries no trace context', async () => {
    otel.instrumentation.disable();
    const q = await setup(() => undefined);
    try {
      const body = bodyOf('p_off');
      expect((await q.receiver.receive({ body, headers: signed(body) })).status).toBe(202);
      const job = (await q.queue.queue.getJobs(['waiting', 'active', 'completed']))[0]!;
      expect(job.data.trace).toBeUndefined();
    } finally {
      await q.close();
      otel.instrumentation.enable();
    }
  }, 30_000);
});
