import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import {
  context,
  metrics,
  SpanKind,
  SpanStatusCode,
  trace,
  ValueType,
  type Attributes,
  type Context,
  type Histogram,
  type Span,
  type SpanContext,
  type Meter,
  type MeterProvider,
  type Tracer,
  type TracerProvider,
} from '@opentelemetry/api';
import { DELIVERY_CHANNEL, QUEUE_CHANNEL, type DeliveryMessage, type QueueMessage } from '@hookproof/core';
import { ATTR, METRIC } from './names.js';

declare const __HOOKPROOF_OTEL_VERSION__: string | undefined;

/** The package version, put in by the build; `0.0.0-dev` when run from source. */
const VERSION: string = typeof __HOOKPROOF_OTEL_VERSION__ === 'string' ? __HOOKPROOF_OTEL_VERSION__ : '0.0.0-dev';
const NAME = '@hookproof/otel';
/** The TracingChannel's `end`: the whole delivery is known there. */
const END_CHANNEL = `tracing:${DELIVERY_CHANNEL}:end`;
/** The TracingChannel's `start`: the span is opened there, so the handlers run under it. */
const START_CHANNEL = `tracing:${DELIVERY_CHANNEL}:start`;
const QUEUE_START = `tracing:${QUEUE_CHANNEL}:start`;
const QUEUE_END = `tracing:${QUEUE_CHANNEL}:end`;

/** Options of `new HookproofInstrumentation()`. */
export interface HookproofInstrumentationConfig {
  /** Subscribe at once (the default), as every OpenTelemetry instrumentation does; `registerInstrumentations` enables it anyway. */
  enabled?: boolean;
  /**
   * Record a span only when the delivery runs inside another span (typically the HTTP
   * server span of `@opentelemetry/instrumentation-http`). Default false: every delivery
   * gets a span, a root one when there is no parent. Metrics are recorded either way.
   */
  requireParentSpan?: boolean;
}

interface Instruments {
  readonly duration: Histogram;
  readonly handlerDuration: Histogram;
}

/** Deliveries counted here and observed at collection: a map increment per delivery, not an SDK record. */
interface Tally {
  readonly attributes: Attributes;
  count: number;
  /** The handler histogram's attribute sets of this vendor and outcome, by event type: built once, not per delivery. */
  readonly byType: Map<string, Attributes>;
}

/** Where the open span of a message is kept: a symbol key, invisible to `Object.keys` (cheaper than a WeakMap). */
const SPAN = Symbol('hookproof.otel.span');
/** Set when the vendor was unknown at `start` (several vendors on one route): the span is renamed at `end`. */
const UNNAMED = Symbol('hookproof.otel.unnamed');
type WithSpan = { [SPAN]?: Span | undefined; [UNNAMED]?: boolean };

/**
 * OpenTelemetry instrumentation for hookproof, used as every instrumentation is:
 *
 * ```ts
 * registerInstrumentations({ instrumentations: [new HookproofInstrumentation()] });
 * ```
 *
 * It patches nothing: core publishes each delivery on the `hookproof:delivery`
 * TracingChannel (`node:diagnostics_channel`) and this subscribes to it. Per delivery, a
 * span (a child of the active span, e.g. the HTTP server span) with `webhook.vendor`,
 * `webhook.event.type`, `webhook.event.id`, `webhook.outcome`, `webhook.secret.index`,
 * `webhook.dedupe` and `http.response.status_code`, status ERROR for a 5xx answer; and the
 * metrics `webhook.deliveries`, `webhook.delivery.duration` and `webhook.handler.duration`.
 * The delivery span is active while the handlers run. With the durable queue, a PRODUCER
 * span for the write and a CONSUMER span per worker attempt, linked through a W3C
 * `traceparent` carried in the job (`hookproof:queue` channel).
 * Never a secret, a signature, a header or the body.
 */
export class HookproofInstrumentation {
  readonly instrumentationName: string = NAME;
  readonly instrumentationVersion: string = VERSION;
  private config: HookproofInstrumentationConfig;
  private tracer: Tracer;
  private instruments: Instruments;
  private readonly tallies = new Map<string, Tally>();
  /** The same tallies by vendor, then outcome: found with two map reads, no key string built per delivery. */
  private readonly tallyIndex = new Map<string, Map<string, Tally>>();
  private subscribed = false;
  // The span is opened at `start` and made the context the handlers run in (core calls the
  // hand-off through `message.runInContext`), so a handler's own spans are its children.
  private readonly onStartMessage = (message: unknown): void => this.onStart(message as DeliveryMessage);
  private readonly onEndMessage = (message: unknown): void => this.onEnd(message as DeliveryMessage);
  private readonly onQueueStartMessage = (message: unknown): void => this.onQueueStart(message as QueueMessage);
  private readonly onQueueEndMessage = (message: unknown): void => this.onQueueEnd(message as QueueMessage);

  constructor(config: HookproofInstrumentationConfig = {}) {
    this.config = { enabled: true, ...config };
    this.tracer = trace.getTracer(NAME, VERSION);
    this.instruments = createInstruments(metrics.getMeter(NAME, VERSION), this.tallies);
    if (this.config.enabled !== false) this.enable();
  }

  /** Subscribes to the delivery channel. Calling it twice subscribes once. */
  enable(): void {
    if (this.subscribed) return;
    subscribe(START_CHANNEL, this.onStartMessage);
    subscribe(END_CHANNEL, this.onEndMessage);
    subscribe(QUEUE_START, this.onQueueStartMessage);
    subscribe(QUEUE_END, this.onQueueEndMessage);
    this.subscribed = true;
  }

  /** Unsubscribes: deliveries are no longer recorded, and core goes back to publishing nothing. */
  disable(): void {
    if (!this.subscribed) return;
    unsubscribe(START_CHANNEL, this.onStartMessage);
    unsubscribe(END_CHANNEL, this.onEndMessage);
    unsubscribe(QUEUE_START, this.onQueueStartMessage);
    unsubscribe(QUEUE_END, this.onQueueEndMessage);
    this.subscribed = false;
  }

  setTracerProvider(provider: TracerProvider): void {
    this.tracer = provider.getTracer(NAME, VERSION);
  }

  setMeterProvider(provider: MeterProvider): void {
    this.instruments = createInstruments(provider.getMeter(NAME, VERSION), this.tallies);
  }

  setConfig(config: HookproofInstrumentationConfig): void {
    this.config = { ...config, enabled: config.enabled ?? this.config.enabled ?? true };
  }

  getConfig(): HookproofInstrumentationConfig {
    return { enabled: this.subscribed, ...this.config };
  }

  private onStart(message: DeliveryMessage): void {
    try {
      const parent = context.active();
      const hasParent = trace.getSpan(parent) !== undefined;
      if (this.config.requireParentSpan === true && !hasParent) return;
      const span = this.tracer.startSpan(
        spanName(message.vendor),
        { kind: hasParent ? SpanKind.INTERNAL : SpanKind.SERVER },
        parent,
      );
      (message as WithSpan)[SPAN] = span;
      if (message.vendor === undefined) (message as WithSpan)[UNNAMED] = true;
      const active = trace.setSpan(parent, span);
      message.runInContext = (fn) => context.with(active, fn);
    } catch {
      // Tracing must not change the answer to the vendor.
    }
  }

  /** The queue write (a PRODUCER span, child of the delivery's) or a worker attempt (a CONSUMER span linked to it). */
  private onQueueStart(message: QueueMessage): void {
    try {
      const parent = context.active();
      const producing = message.operation === 'enqueue';
      if (this.config.requireParentSpan === true && producing && trace.getSpan(parent) === undefined) return;
      const link = producing ? undefined : parseTraceparent(message.carrier.traceparent);
      const attributes: Attributes = {
        [ATTR.vendor]: message.vendor,
        [ATTR.eventType]: message.eventType,
        [ATTR.eventId]: message.eventId,
        [ATTR.messagingSystem]: 'hookproof',
        [ATTR.messagingOperation]: producing ? 'send' : 'process',
      };
      if (message.attempt !== undefined) attributes[ATTR.attempt] = message.attempt;
      const span = this.tracer.startSpan(
        `${producing ? 'send' : 'process'} webhook ${message.vendor}`,
        {
          kind: producing ? SpanKind.PRODUCER : SpanKind.CONSUMER,
          attributes,
          ...(link === undefined ? {} : { links: [{ context: link }] }),
        },
        parent,
      );
      (message as WithSpan)[SPAN] = span;
      // W3C Trace Context, written here rather than through the global propagator: the link
      // must not depend on which propagators the app configured.
      if (producing) message.carrier.traceparent = traceparentOf(span.spanContext());
      const active = trace.setSpan(parent, span);
      message.runInContext = (fn) => context.with(active, fn);
    } catch {
      // Tracing must not fail the write or the job.
    }
  }

  private onQueueEnd(message: QueueMessage): void {
    try {
      const span = (message as WithSpan)[SPAN];
      if (span === undefined) return;
      (message as WithSpan)[SPAN] = undefined;
      if (message.error !== undefined) {
        if (message.error instanceof Error) span.recordException(message.error);
        span.setStatus({
          code: SpanStatusCode.ERROR,
          message: message.error instanceof Error ? message.error.message : String(message.error),
        });
      }
      span.end();
    } catch {
      // Tracing must not fail the write or the job.
    }
  }

  // A subscriber's throw would surface as an uncaught exception (Node rethrows it on a later
  // tick): nothing recorded here may take the receiver down.
  private onEnd(message: DeliveryMessage): void {
    try {
      const outcome = message.outcome ?? 'ok';
      const vendor = message.vendor ?? 'unknown';
      const span = (message as WithSpan)[SPAN];
      if (span !== undefined) {
        (message as WithSpan)[SPAN] = undefined;
        this.endSpan(span, message, outcome);
      }
      const tally = this.tallyOf(vendor, outcome);
      tally.count++;
      if (message.durationMs !== undefined)
        this.instruments.duration.record(message.durationMs / 1000, tally.attributes);
      if (message.handlersMs !== undefined) {
        const eventType = message.eventType ?? 'unknown';
        let attributes = tally.byType.get(eventType);
        if (attributes === undefined) {
          attributes = { [ATTR.vendor]: vendor, [ATTR.eventType]: eventType, [ATTR.outcome]: outcome };
          tally.byType.set(eventType, attributes);
        }
        this.instruments.handlerDuration.record(message.handlersMs / 1000, attributes);
      }
    } catch {
      // Tracing must not change the answer to the vendor.
    }
  }

  /** The tally (and attribute sets) of one vendor and outcome, made on first use. */
  private tallyOf(vendor: string, outcome: string): Tally {
    let byOutcome = this.tallyIndex.get(vendor);
    if (byOutcome === undefined) {
      byOutcome = new Map();
      this.tallyIndex.set(vendor, byOutcome);
    }
    let tally = byOutcome.get(outcome);
    if (tally === undefined) {
      tally = { attributes: { [ATTR.vendor]: vendor, [ATTR.outcome]: outcome }, count: 0, byType: new Map() };
      byOutcome.set(outcome, tally);
      this.tallies.set(`${vendor}\u0000${outcome}`, tally);
    }
    return tally;
  }

  private endSpan(span: Span, message: DeliveryMessage, outcome: string): void {
    // The vendor may have been detected from the headers after `start` (several vendors on one route).
    if (message.vendor !== undefined && (message as WithSpan)[UNNAMED] === true)
      span.updateName(spanName(message.vendor));
    // One call per attribute: no attributes object built per delivery.
    span.setAttribute(ATTR.outcome, outcome);
    if (message.vendor !== undefined) span.setAttribute(ATTR.vendor, message.vendor);
    if (message.eventType !== undefined) span.setAttribute(ATTR.eventType, message.eventType);
    if (message.eventId !== undefined) span.setAttribute(ATTR.eventId, message.eventId);
    if (message.secretIndex !== undefined) span.setAttribute(ATTR.secretIndex, message.secretIndex);
    if (message.dedupe !== undefined) span.setAttribute(ATTR.dedupe, message.dedupe);
    if (message.status !== undefined) span.setAttribute(ATTR.status, message.status);
    if (message.error !== undefined) span.setAttribute(ATTR.errorType, message.error.code);
    if (message.status !== undefined && message.status >= 500) {
      // What the handler, store or secret lookup threw: its type, message and stack, as
      // OpenTelemetry records exceptions. hookproof's own errors never carry a secret.
      const cause = message.error?.cause;
      if (cause instanceof Error) span.recordException(cause);
      span.setStatus({ code: SpanStatusCode.ERROR, message: message.error?.message ?? outcome });
    }
    span.end();
  }
}

function spanName(vendor: string | undefined): string {
  return vendor === undefined ? 'webhook' : `webhook ${vendor}`;
}

function createInstruments(meter: Meter, tallies: ReadonlyMap<string, Tally>): Instruments {
  const deliveries = meter.createObservableCounter(METRIC.deliveries, {
    description: 'Webhook deliveries received, by vendor and outcome (ok, duplicate, or the error code).',
    unit: '{delivery}',
    valueType: ValueType.INT,
  });
  deliveries.addCallback((result) => {
    for (const tally of tallies.values()) result.observe(tally.count, tally.attributes);
  });
  return {
    duration: meter.createHistogram(METRIC.deliveryDuration, {
      description: 'Time from the start of a delivery to its answer, by vendor and outcome.',
      unit: 's',
    }),
    handlerDuration: meter.createHistogram(METRIC.handlerDuration, {
      description: "Time spent in the receiver's handlers for one delivery, by vendor, event type and outcome.",
      unit: 's',
    }),
  };
}

/** `traceparent` of a span context (W3C Trace Context, version 00). */
function traceparentOf(span: SpanContext): string {
  return `00-${span.traceId}-${span.spanId}-${(span.traceFlags & 0xff).toString(16).padStart(2, '0')}`;
}

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/** The span context in a stored `traceparent`, or undefined (absent, malformed, or all-zero ids). */
function parseTraceparent(value: unknown): SpanContext | undefined {
  if (typeof value !== 'string') return undefined;
  const match = TRACEPARENT.exec(value);
  if (match === null || /^0+$/.test(match[1]!) || /^0+$/.test(match[2]!)) return undefined;
  return { traceId: match[1]!, spanId: match[2]!, traceFlags: parseInt(match[3]!, 16), isRemote: true };
}
