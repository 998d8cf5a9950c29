// The delivery channel contract: what is published, in which order, and that nothing is
// published (or built) when nobody listens. Subscribed through Node's own
// diagnostics_channel, as an instrumentation would.
import { AsyncLocalStorage } from 'node:async_hooks';
import { createHmac } from 'node:crypto';
import { tracingChannel } from 'node:diagnostics_channel';
import { afterEach, describe, expect, it } from 'vitest';
import { createReceiver, DELIVERY_CHANNEL, QUEUE_CHANNEL, WebhookError, type DeliveryMessage, type QueueMessage } from '../src/index.js';
import { traceDelivery, traceEnded, traceQueue, type DeliveryEnd } from '../src/diagnostics.js';
import { loadDeliveryChannels } from '../src/diagnostics-web.js';

const channel = tracingChannel(DELIVERY_CHANNEL);
const seen: [string, DeliveryMessage][] = [];
const handlers = {
  start: (m: unknown) => seen.push(['start', { ...(m as DeliveryMessage) }]),
  end: (m: unknown) => seen.push(['end', { ...(m as DeliveryMessage) }]),
  asyncStart: () => undefined,
  asyncEnd: () => undefined,
  error: (m: unknown) => seen.push(['error', { ...(m as DeliveryMessage) }]),
};

function ended(fields: Partial<DeliveryEnd>): DeliveryEnd {
  return {
    code: 'ok', status: 200, vendor: undefined, type: undefined, id: undefined, secretIndex: undefined, dedupe: undefined,
    verifyMs: undefined, handlersMs: undefined, totalMs: 1, error: undefined, ...fields,
  };
}

afterEach(() => {
  seen.length = 0;
  if (channel.start.hasSubscribers) channel.unsubscribe(handlers);
});

describe('the hookproof:delivery TracingChannel', () => {
  it('is named hookproof:delivery, so subscribers use tracing:hookproof:delivery:start / :end / :error', () => {
    expect(DELIVERY_CHANNEL).toBe('hookproof:delivery');
  });

  it('with nobody subscribed, builds no message and publishes nothing', () => {
    expect(channel.start.hasSubscribers).toBe(false);
    expect(traceDelivery('receive', 'aidelly')).toBeUndefined();
  });

  it('publishes start, then end, with the event identity, dedupe outcome, status and durations', () => {
    channel.subscribe(handlers);
    const trace = traceDelivery('receive', 'aidelly')!;
    expect(trace).toBeDefined();
    traceEnded(trace, ended({ vendor: 'aidelly', type: 'post.published', id: 'evt_1', secretIndex: 1, dedupe: 'new', verifyMs: 0.5, handlersMs: 2, totalMs: 3 }));
    expect(seen.map(([name]) => name)).toEqual(['start', 'end']);
    expect(seen[0]![1]).toMatchObject({ mode: 'receive', vendor: 'aidelly', outcome: undefined, status: undefined });
    const end = seen[1]![1];
    expect(end).toMatchObject({ vendor: 'aidelly', eventType: 'post.published', eventId: 'evt_1', secretIndex: 1, dedupe: 'new', outcome: 'ok', status: 200, error: undefined });
    expect([end.verifyMs, end.handlersMs, end.durationMs]).toEqual([0.5, 2, 3]);
  });

  it('publishes error before end for a 5xx outcome, carrying the WebhookError', () => {
    channel.subscribe(handlers);
    const trace = traceDelivery('receive', 'timbrix')!;
    const failure = new WebhookError('handler_error', 'The event handler failed; the vendor will retry.', { vendor: 'timbrix', cause: new Error('db is down') });
    traceEnded(trace, ended({ status: 500, error: failure }));
    expect(seen.map(([name]) => name)).toEqual(['start', 'error', 'end']);
    expect(seen[2]![1]).toMatchObject({ outcome: 'handler_error', status: 500, error: failure });
  });

  it('publishes no error for a 4xx outcome (a forgery is an answer, not a failure of the receiver)', () => {
    channel.subscribe(handlers);
    const trace = traceDelivery('verify', undefined)!;
    traceEnded(trace, ended({ status: 401, dedupe: 'off', error: new WebhookError('signature_mismatch', 'The signature does not match.') }));
    expect(seen.map(([name]) => name)).toEqual(['start', 'end']);
    expect(seen[1]![1]).toMatchObject({ mode: 'verify', outcome: 'signature_mismatch', status: 401, dedupe: 'off' });
  });

  it('holds no field besides the documented ones (nothing that could carry a header or a body)', () => {
    channel.subscribe(handlers);
    traceEnded(traceDelivery('receive', 'aidelly')!, ended({}));
    expect(Object.keys(seen[1]![1]).sort()).toEqual(
      ['dedupe', 'durationMs', 'error', 'eventId', 'eventType', 'handlersMs', 'mode', 'outcome', 'runInContext', 'secretIndex', 'status', 'vendor', 'verifyMs'].sort(),
    );
  });
});

describe('runInContext: a start subscriber gives the hand-off its context', () => {
  it("the handlers run inside the subscriber's runInContext (after an await too); without one they run as they are", async () => {
    const store = new AsyncLocalStorage<string>();
    const secret = 'whsec_diagnostics-context-1';
    const body = JSON.stringify({ event: 'post.published', created_at: '2026-01-01T00:00:00Z', data: { post_id: 'p1' } });
    const headers = { 'content-type': 'application/json', 'aidelly-signature': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}` };
    const inHandler: (string | undefined)[] = [];
    const receiver = createReceiver({ vendor: 'aidelly', secret, dedupe: false, logger: false }).on('post.published', async () => {
      await Promise.resolve();
      inHandler.push(store.getStore());
    });
    const onStart = (m: unknown) => {
      (m as DeliveryMessage).runInContext = (fn) => store.run('delivery-span', fn);
    };
    channel.start.subscribe(onStart);
    try {
      expect((await receiver.receive({ body, headers })).status).toBe(200);
    } finally {
      channel.start.unsubscribe(onStart);
    }
    expect((await receiver.receive({ body, headers })).status).toBe(200);
    expect(inHandler).toEqual(['delivery-span', undefined]);
  });
});

describe('the hookproof:queue TracingChannel', () => {
  const queueChannel = tracingChannel(QUEUE_CHANNEL);
  const job = { vendor: 'aidelly', type: 'post.published', id: 'evt_1', trace: { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' } };

  it('with nobody subscribed, builds no message', () => {
    expect(QUEUE_CHANNEL).toBe('hookproof:queue');
    expect(traceQueue('enqueue', job, undefined)).toBeUndefined();
  });

  it("a message holds the ids, the attempt and a copy of the job's trace context; nothing else", () => {
    const started: QueueMessage[] = [];
    const onStart = (m: unknown) => void started.push(m as QueueMessage);
    queueChannel.start.subscribe(onStart);
    try {
      const traced = traceQueue('process', job, 2)!;
      expect(started).toEqual([traced.message]);
      expect(Object.keys(traced.message).sort()).toEqual(['attempt', 'carrier', 'error', 'eventId', 'eventType', 'operation', 'runInContext', 'vendor']);
      expect(traced.message).toMatchObject({ operation: 'process', vendor: 'aidelly', eventType: 'post.published', eventId: 'evt_1', attempt: 2, carrier: job.trace });
      traced.message.carrier.traceparent = 'changed';
      expect(job.trace.traceparent).toBe('00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01');
    } finally {
      queueChannel.start.unsubscribe(onStart);
    }
  });
});

describe('the Web build port', () => {
  it('degrades to nothing where the runtime has no process.getBuiltinModule', () => {
    expect(loadDeliveryChannels(undefined)).toBeUndefined();
    expect(traceDelivery('receive', 'aidelly', loadDeliveryChannels(undefined))).toBeUndefined();
  });

  it('degrades to nothing where the runtime has no diagnostics_channel, or loading it throws', () => {
    expect(loadDeliveryChannels(() => undefined)).toBeUndefined();
    expect(loadDeliveryChannels(() => ({}))).toBeUndefined();
    expect(
      loadDeliveryChannels(() => {
        throw new Error('No such built-in module: node:diagnostics_channel');
      }),
    ).toBeUndefined();
  });

  it("uses the runtime's channel where it has one (Deno, Bun, Node), the same one Node subscribers see", () => {
    const web = loadDeliveryChannels((id) => (id === 'diagnostics_channel' ? { tracingChannel } : undefined));
    channel.subscribe(handlers);
    const trace = traceDelivery('receive', 'audenci', web);
    expect(trace).toBeDefined();
    traceEnded(trace!, ended({}));
    expect(seen.map(([name, m]) => [name, m.vendor])).toEqual([['start', 'audenci'], ['end', 'audenci']]);
  });
});
