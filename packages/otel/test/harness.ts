// The OpenTelemetry SDK as an app would set it up, with in-memory exporters: one tracer
// provider, one meter provider, the async-hooks context manager, and the instrumentation
// registered through registerInstrumentations.
import { createHmac } from 'node:crypto';
import { expect } from 'vitest';
import { context, type Attributes } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { AggregationTemporality, DataPointType, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader, type DataPoint, type Histogram } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { HookproofInstrumentation } from '@hookproof/otel';

export interface Otel {
  readonly instrumentation: HookproofInstrumentation;
  readonly tracerProvider: BasicTracerProvider;
  spans(): ReadableSpan[];
  /** Data points of one metric, after a collection. */
  points(name: string): Promise<DataPoint<number | Histogram>[]>;
  reset(): void;
  close(): Promise<void>;
}

export function setupOtel(): Otel {
  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  const spanExporter = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spanExporter)] });
  const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PeriodicExportingMetricReader({ exporter: metricExporter, exportIntervalMillis: 60_000 });
  const meterProvider = new MeterProvider({ readers: [reader] });
  const instrumentation = new HookproofInstrumentation();
  const unregister = registerInstrumentations({ instrumentations: [instrumentation], tracerProvider, meterProvider });
  return {
    instrumentation,
    tracerProvider,
    spans: () => spanExporter.getFinishedSpans(),
    async points(name) {
      await reader.forceFlush();
      const batches = metricExporter.getMetrics();
      const last = batches[batches.length - 1];
      const metric = last?.scopeMetrics.flatMap((s) => s.metrics).find((m) => m.descriptor.name === name);
      if (metric === undefined) return [];
      expect(metric.dataPointType === DataPointType.SUM || metric.dataPointType === DataPointType.HISTOGRAM).toBe(true);
      return metric.dataPoints as DataPoint<number | Histogram>[];
    },
    reset() {
      spanExporter.reset();
    },
    async close() {
      unregister();
      await tracerProvider.shutdown();
      await meterProvider.shutdown();
      context.disable();
    },
  };
}

/** Every string in a span: name, attribute values, status, event names and attributes. */
export function spanStrings(span: ReadableSpan): string[] {
  const fromAttributes = (a: Attributes | undefined) => Object.entries(a ?? {}).flatMap(([k, v]) => [k, String(v)]);
  return [
    span.name,
    ...fromAttributes(span.attributes),
    span.status.message ?? '',
    ...span.events.flatMap((e) => [e.name, ...fromAttributes(e.attributes)]),
  ];
}

/**
 * Every 12-character piece of a MAC as the vendor would send it (hex and base64) and of the
 * secret: none may appear in an attribute or a log line. Computed with node:crypto.
 */
export function secretFragments(secret: string, signedContent: string | Buffer): string[] {
  const mac = createHmac('sha256', secret).update(signedContent).digest();
  const spellings = [mac.toString('hex'), mac.toString('base64'), mac.toString('base64url'), secret];
  const out = new Set<string>();
  for (const s of spellings) for (let i = 0; i + 12 <= s.length; i++) out.add(s.slice(i, i + 12));
  return [...out];
}

export function leaks(texts: readonly string[], fragments: readonly string[]): string[] {
  return fragments.filter((f) => texts.some((t) => t.includes(f)));
}
