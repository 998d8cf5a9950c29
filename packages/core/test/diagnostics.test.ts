// The delivery channel contract: what is published, in which order, and that nothing is
// published (or built) when nobody listens. Subscribed through Node's own
// diagnostics_channel, as an instrumentation would.
import { tracingChannel } from 'node:diagnostics_channel';
import { afterEach, describe, expect, it } from 'vitest';
import { DELIVERY_CHANNEL, WebhookError, type DeliveryMessage } from '../src/index.js';
import { traceDelivery, traceEnded, type DeliveryEnd } from '../src/diagnostics.js';
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
      ['dedupe', 'durationMs', 'error', 'eventId', 'eventType', 'handlersMs', 'mode', 'outcome', 'secretIndex', 'status', 'vendor', 'verifyMs'].sort(),
    );
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
