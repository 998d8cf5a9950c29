// The servers bench/observability drives (through bench/adapters.mjs's method): each
// adapter's receiver mode, three ways, from the bundles of ./build.mjs:
//   <fw>/before  the code before the delivery channel (nothing to publish);
//   <fw>/after   this code, nothing subscribed to the channel;
//   <fw>/otel    this code with HookproofInstrumentation registered on a tracer provider
//                with a BatchSpanProcessor and a meter provider with a periodic reader;
//                the exporters drop what they get (no network in a bench);
//   <fw>/otel-als  the same plus OpenTelemetry's AsyncLocalStorage context manager, as
//                an app with HTTP tracing has: not gated, since that cost is the context
//                manager's (every promise is tracked), paid with or without hookproof.
import { createServer } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { PATH, SECRET } from '../adapters/delivery.mjs';

const dir = join(fileURLToPath(new URL('../../', import.meta.url)), '.tmp', 'bench-observability');
const load = (side, name) => import(pathToFileURL(join(dir, side, `${name}.mjs`)).href);

let seen = 0;
const onPublished = (event) => {
  if (event.payload.data.post_id) seen++;
};
// dedupe off: the same delivery is sent over and over, and must run the handlers each time.
const receiverFrom = (mod) => mod.createReceiver({ vendor: 'aidelly', secret: SECRET, dedupe: false }).on('post.published', onPublished);

async function setupOtel(withContextManager) {
  const [{ context, metrics }, { AsyncLocalStorageContextManager }, { registerInstrumentations }, traceBase, metricsSdk, { HookproofInstrumentation }] = await Promise.all([
    import('@opentelemetry/api'),
    import('@opentelemetry/context-async-hooks'),
    import('@opentelemetry/instrumentation'),
    import('@opentelemetry/sdk-trace-base'),
    import('@opentelemetry/sdk-metrics'),
    load('after', 'otel'),
  ]);
  if (withContextManager) context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  const drop = { export: (_items, done) => done({ code: 0 }), shutdown: async () => undefined, forceFlush: async () => undefined };
  const tracerProvider = new traceBase.BasicTracerProvider({ spanProcessors: [new traceBase.BatchSpanProcessor(drop)] });
  const meterProvider = new metricsSdk.MeterProvider({
    readers: [new metricsSdk.PeriodicExportingMetricReader({ exporter: { ...drop, selectAggregationTemporality: () => metricsSdk.AggregationTemporality.CUMULATIVE }, exportIntervalMillis: 1000 })],
  });
  metrics.setGlobalMeterProvider(meterProvider);
  registerInstrumentations({ instrumentations: [new HookproofInstrumentation()], tracerProvider, meterProvider });
}

function listenNode(server) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve({ port: server.address().port, close: () => new Promise((r) => server.close(r)) }));
  });
}

const frameworks = {
  async express(mod) {
    const { default: express } = await import('express');
    const app = express();
    app.disable('x-powered-by');
    app.post(PATH, mod.webhook(receiverFrom(mod)));
    return listenNode(createServer(app));
  },
  async fastify(mod) {
    const { default: Fastify } = await import('fastify');
    const app = Fastify({ logger: false });
    app.register(mod.hookproof, { receiver: receiverFrom(mod), path: PATH });
    await app.listen({ port: 0, host: '127.0.0.1' });
    return { port: app.server.address().port, close: () => app.close() };
  },
  async koa(mod) {
    const { default: Koa } = await import('koa');
    const app = new Koa();
    app.use(mod.webhook(receiverFrom(mod)));
    return listenNode(createServer(app.callback()));
  },
};

export const TARGETS = Object.fromEntries(
  Object.entries(frameworks).flatMap(([fw, listen]) => [
    [`${fw}/before`, async () => listen(await load('before', fw))],
    [`${fw}/after`, async () => listen(await load('after', fw))],
    [
      `${fw}/otel`,
      async () => {
        await setupOtel(false);
        return listen(await load('after', fw));
      },
    ],
    [
      `${fw}/otel-als`,
      async () => {
        await setupOtel(true);
        return listen(await load('after', fw));
      },
    ],
  ]),
);

/** [target, baseline, gate]: nothing subscribed costs nothing; the instrumentation at least 0.9x. */
export const COMPARISONS = Object.keys(frameworks).flatMap((fw) => [
  [`${fw}/after`, `${fw}/before`, 0.98],
  [`${fw}/otel`, `${fw}/after`, 0.9],
  [`${fw}/otel-als`, `${fw}/after`, null],
]);
