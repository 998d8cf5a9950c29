// HookproofInstrumentation against the channel contract: messages published on the
// hookproof:delivery TracingChannel, as core publishes them, become spans and metrics in
// the OpenTelemetry SDK's in-memory exporters.
import { tracingChannel } from 'node:diagnostics_channel';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DELIVERY_CHANNEL, WebhookError, type DeliveryMessage } from '@hookproof/core';
import { ATTR, HookproofInstrumentation, METRIC } from '@hookproof/otel';
import { setupOtel, type Otel } from './harness.js';

const channel = tracingChannel(DELIVERY_CHANNEL);
let otel: Otel;
beforeAll(() => {
  otel = setupOtel();
});
afterAll(() => otel.close());
beforeEach(() => otel.reset());

function message(fields: Partial<DeliveryMessage> = {}): DeliveryMessage {
  return {
    mode: 'receive', vendor: 'aidelly', eventType: undefined, eventId: undefined, secretIndex: undefined, dedupe: undefined,
    outcome: undefined, status: undefined, verifyMs: undefined, handlersMs: undefined, durationMs: undefined, error: undefined, runInContext: undefined, ...fields,
  };
}

function deliver(start: DeliveryMessage, end: Partial<DeliveryMessage>): void {
  channel.start.publish(start);
  Object.assign(start, end);
  if ((start.status ?? 0) >= 500) channel.error.publish(start);
  channel.end.publish(start);
}

describe('HookproofInstrumentation', () => {
  it('is an OpenTelemetry instrumentation: name, version, config, and registered it is subscribed', () => {
    expect(otel.instrumentation.instrumentationName).toBe('@hookproof/otel');
    expect(typeof otel.instrumentation.instrumentationVersion).toBe('string');
    expect(otel.instrumentation.getConfig().enabled).toBe(true);
    expect(channel.end.hasSubscribers).toBe(true);
  });

  it('a verified delivery: one span with every attribute, status unset, and a root SERVER span without a parent', () => {
    deliver(message(), { eventType: 'post.published', eventId: 'evt_1', secretIndex: 1, dedupe: 'new', outcome: 'ok', status: 200, verifyMs: 0.2, handlersMs: 1.5, durationMs: 2 });
    const [span, ...rest] = otel.spans();
    expect(rest).toEqual([]);
    expect(span!.name).toBe('webhook aidelly');
    expect(span!.kind).toBe(SpanKind.SERVER);
    expect(span!.attributes).toEqual({
      [ATTR.vendor]: 'aidelly', [ATTR.eventType]: 'post.published', [ATTR.eventId]: 'evt_1', [ATTR.outcome]: 'ok',
      [ATTR.secretIndex]: 1, [ATTR.dedupe]: 'new', [ATTR.status]: 200,
    });
    expect(span!.status.code).toBe(SpanStatusCode.UNSET);
  });

  it('a span is a child of the active span (the HTTP server span) when there is one', () => {
    const tracer = otel.tracerProvider.getTracer('test-http');
    const server = tracer.startSpan('POST /webhooks/aidelly', { kind: SpanKind.SERVER });
    context.with(trace.setSpan(context.active(), server), () => deliver(message(), { outcome: 'ok', status: 200, durationMs: 1 }));
    server.end();
    const ours = otel.spans().find((s) => s.name === 'webhook aidelly')!;
    expect(ours.parentSpanContext?.spanId).toBe(server.spanContext().spanId);
    expect(ours.spanContext().traceId).toBe(server.spanContext().traceId);
    expect(ours.kind).toBe(SpanKind.INTERNAL);
  });

  it('a 5xx outcome sets status ERROR and records what the handler threw; a 4xx does not', () => {
    const cause = new Error('db is down: ECONNREFUSED');
    deliver(message(), {
      eventType: 'post.published', eventId: 'evt_2', outcome: 'handler_error', status: 500, durationMs: 3,
      error: new WebhookError('handler_error', 'The event handler failed; the vendor will retry.', { cause }),
    });
    deliver(message({ vendor: undefined, mode: 'verify' }), { outcome: 'signature_mismatch', status: 401, durationMs: 1, error: new WebhookError('signature_mismatch', 'no') });
    const [failed, forged] = otel.spans();
    expect(failed!.status).toEqual({ code: SpanStatusCode.ERROR, message: 'The event handler failed; the vendor will retry.' });
    expect(failed!.attributes).toMatchObject({ [ATTR.outcome]: 'handler_error', [ATTR.status]: 500, [ATTR.errorType]: 'handler_error' });
    expect(failed!.events.map((e) => [e.name, e.attributes?.['exception.message']])).toEqual([['exception', 'db is down: ECONNREFUSED']]);
    expect(forged!.name).toBe('webhook');
    expect(forged!.status.code).toBe(SpanStatusCode.UNSET);
    expect(forged!.attributes).toEqual({ [ATTR.outcome]: 'signature_mismatch', [ATTR.status]: 401, [ATTR.errorType]: 'signature_mismatch' });
  });

  it('metrics: deliveries by vendor and outcome, delivery and handler durations in seconds', async () => {
    const before = (await otel.points(METRIC.deliveries)).find((p) => p.attributes[ATTR.vendor] === 'timbrix' && p.attributes[ATTR.outcome] === 'ok');
    expect(before).toBeUndefined();
    deliver(message({ vendor: 'timbrix' }), { eventType: 'post.created', eventId: 'a', outcome: 'ok', status: 200, durationMs: 20, handlersMs: 10 });
    deliver(message({ vendor: 'timbrix' }), { eventType: 'post.created', eventId: 'a', outcome: 'duplicate', status: 200, durationMs: 5 });
    deliver(message({ vendor: 'timbrix' }), { eventType: 'post.created', eventId: 'b', outcome: 'ok', status: 200, durationMs: 40, handlersMs: 30 });
    const count = (outcome: string) =>
      otel.points(METRIC.deliveries).then((ps) => ps.find((p) => p.attributes[ATTR.vendor] === 'timbrix' && p.attributes[ATTR.outcome] === outcome)?.value);
    expect(await count('ok')).toBe(2);
    expect(await count('duplicate')).toBe(1);
    const duration = (await otel.points(METRIC.deliveryDuration)).find((p) => p.attributes[ATTR.vendor] === 'timbrix' && p.attributes[ATTR.outcome] === 'ok');
    expect(duration?.value).toMatchObject({ count: 2, sum: 0.06 });
    const handlers = (await otel.points(METRIC.handlerDuration)).filter((p) => p.attributes[ATTR.vendor] === 'timbrix');
    expect(handlers.map((p) => [p.attributes[ATTR.eventType], p.attributes[ATTR.outcome], (p.value as { count: number }).count])).toEqual([['post.created', 'ok', 2]]);
    // No per-event attribute on a metric: event ids are unbounded.
    for (const p of await otel.points(METRIC.deliveries)) expect(Object.keys(p.attributes).sort()).toEqual([ATTR.outcome, ATTR.vendor].sort());
  });

  it('disable() unsubscribes (core then publishes nothing), enable() subscribes once', () => {
    otel.instrumentation.disable();
    expect(channel.end.hasSubscribers).toBe(false);
    otel.instrumentation.enable();
    otel.instrumentation.enable();
    deliver(message(), { outcome: 'ok', status: 200, durationMs: 1 });
    expect(otel.spans()).toHaveLength(1);
  });

  it('requireParentSpan: no span for a delivery outside any span, still the metrics', async () => {
    const own = new HookproofInstrumentation({ requireParentSpan: true });
    otel.instrumentation.disable();
    try {
      const before = (await otel.points(METRIC.deliveries)).length;
      own.setTracerProvider(otel.tracerProvider);
      deliver(message({ vendor: 'audenci' }), { outcome: 'ok', status: 200, durationMs: 1 });
      expect(otel.spans()).toHaveLength(0);
      expect(before).toBeGreaterThan(0);
    } finally {
      own.disable();
      otel.instrumentation.enable();
    }
  });

  it('a vendor detected after start (several vendors on one route) names the span at end; a known one keeps its name', () => {
    deliver(message({ vendor: undefined }), { vendor: 'timbrix', eventType: 'member.added', eventId: 'evt_t', outcome: 'ok', status: 200, durationMs: 1 });
    deliver(message(), { outcome: 'ok', status: 200, durationMs: 1 });
    expect(otel.spans().map((s) => [s.name, s.attributes[ATTR.vendor]])).toEqual([['webhook timbrix', 'timbrix'], ['webhook aidelly', 'aidelly']]);
  });

  it('a malformed message never throws out of the subscriber', () => {
    expect(() => {
      channel.start.publish(null);
      channel.end.publish(undefined);
      channel.end.publish({ status: 'x' });
    }).not.toThrow();
  });
});
