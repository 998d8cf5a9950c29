import { vendors, type VendorId, type VendorProfile, type VendorRef } from '@hookproof/core';
import { createClock } from './clock.js';
import { deliverAll, sendOnce, type Route } from './deliver.js';
import { makeEvent, rawEvent, undocumentedFieldsOf } from './event.js';
import { createRandom, normaliseSeed } from './random.js';
import { transportFor, urlTransport, type Transport } from './transports/index.js';
import type { DeliverOptions, EmitResult, EventFor, MockEvent, MockSender, MockSenderOptions } from './types.js';
import { mockVendorApi, type ApiMockInternals } from './vendor-api/index.js';

function profileOf(ref: VendorRef | undefined): VendorProfile {
  if (typeof ref === 'string' && Object.prototype.hasOwnProperty.call(vendors, ref)) return vendors[ref as VendorId];
  if (typeof ref === 'object' && ref !== null && typeof ref.id === 'string' && typeof ref.signatureHeader === 'string')
    return ref;
  throw new TypeError(
    `@hookproof/mock-sender: \`vendor\` must be one of ${Object.keys(vendors)
      .map((v) => `'${v}'`)
      .join(', ')} or a profile from defineVendor(), got ${JSON.stringify(ref)}.`,
  );
}

function checkSecret(profile: VendorProfile, secret: unknown): string | undefined {
  if (secret === undefined) {
    if (profile.unsigned === 'opt-in' || profile.api?.returnsSecret === true) return undefined;
    throw new TypeError(
      `@hookproof/mock-sender: ${profile.name} signs every delivery: pass \`secret\` (the same one your receiver verifies with).`,
    );
  }
  if (typeof secret !== 'string' || secret === '')
    throw new TypeError('@hookproof/mock-sender: `secret` must be a non-empty string.');
  return secret;
}

function checkHeaders(profile: VendorProfile, headers: unknown): Readonly<Record<string, string>> {
  if (headers === undefined) return {};
  // Refused only where the vendor's documentation rules headers out; where it is silent
  // (`undefined`) the mock sends them, so a test never fails on an assumption.
  if (profile.customHeaders === false) {
    throw new TypeError(
      `@hookproof/mock-sender: ${profile.name} does not let users add delivery headers (${'documented' in profile.provenance.customHeaders ? profile.provenance.customHeaders.documented : profile.provenance.customHeaders.assumed}); remove \`headers\`.`,
    );
  }
  if (typeof headers !== 'object' || headers === null || !Object.values(headers).every((v) => typeof v === 'string')) {
    throw new TypeError(
      '@hookproof/mock-sender: `headers` must be a record of strings, e.g. { Authorization: "Bearer …" }.',
    );
  }
  return { ...(headers as Record<string, string>) };
}

/**
 * A mock of one vendor's webhook sender: spec-accurate signed events, the vendor's
 * retry schedule and deadline from core's profile, faults, and its create-webhook API.
 */
export function createMockSender<V extends VendorRef = VendorId>(options: MockSenderOptions<V>): MockSender<V> {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('@hookproof/mock-sender: createMockSender() takes { vendor, secret, target }.');
  }
  const profile = profileOf(options.vendor);
  const secret = checkSecret(profile, options.secret);
  const extraHeaders = checkHeaders(profile, options.headers);
  const path = options.path ?? '/';
  if (typeof path !== 'string' || !path.startsWith('/'))
    throw new TypeError(`@hookproof/mock-sender: \`path\` must start with "/", got ${JSON.stringify(path)}.`);
  const seed = normaliseSeed(options.seed);
  // Separate streams: registering webhooks does not change the events a seed produces.
  const random = createRandom(seed);
  const apiRandom = createRandom(seed ^ 0x5bd1e995);
  const clock = createClock(options.startAt);
  const transport: Transport | undefined =
    options.target === undefined ? undefined : transportFor(options.target, path);
  const subscriberTransports = new Map<string, Transport>();
  let api: ApiMockInternals | undefined;

  const route = (): Route => {
    if (transport === undefined) {
      throw new TypeError(
        '@hookproof/mock-sender: this sender has no `target`: pass one to createMockSender(), or use emit() after mockVendorApi().',
      );
    }
    if (secret === undefined && profile.unsigned !== 'opt-in') {
      throw new TypeError(
        `@hookproof/mock-sender: ${profile.name} signs every delivery: pass \`secret\`, or register through mockVendorApi() and use emit() (the secret its API returns is used).`,
      );
    }
    return { wire: { profile, secret, extraHeaders }, transport };
  };
  const check = (event: MockEvent): MockEvent => {
    if (typeof event !== 'object' || event === null || !(event.bytes instanceof Uint8Array)) {
      throw new TypeError(
        '@hookproof/mock-sender: pass an event made by sender.event(), sender.undocumented() or sender.raw().',
      );
    }
    return event;
  };

  /** A new event to every enabled subscription that asked for `type` (or `"*"`); reports each outcome to the API mock. */
  const emitAll = async (
    name: string,
    type: string,
    overrides: unknown,
    deliverOptions: DeliverOptions | undefined,
  ): Promise<readonly EmitResult[]> => {
    if (api === undefined)
      throw new TypeError(
        `@hookproof/mock-sender: ${name}() delivers to webhooks registered through mockVendorApi(); call it first.`,
      );
    const { emulation } = api;
    const results: EmitResult[] = [];
    for (const subscription of api.subscriptions) {
      if (!subscription.enabled || !(subscription.events.includes(type) || subscription.events.includes('*'))) continue;
      let to = subscriberTransports.get(subscription.url);
      if (to === undefined) {
        to = urlTransport(subscription.url);
        subscriberTransports.set(subscription.url, to);
      }
      const event = makeEvent(profile, random, clock.now(), type, emulation.eventOverrides(subscription), overrides);
      const log = await deliverAll(
        { wire: { profile, secret: subscription.secret, extraHeaders }, transport: to },
        clock,
        event,
        deliverOptions,
      );
      api.recordDelivery(subscription.id, log.state === 'delivered');
      results.push({ subscription, log });
    }
    return results;
  };

  const sender: MockSender<V> = {
    profile,
    seed,
    now: () => clock.now(),
    event(type, overrides, eventOptions) {
      // A profile whose event names are the sender's own (openEvents: Standard Webhooks, recipes) takes any name.
      if (profile.openEvents === true ? typeof type !== 'string' || type === '' : !profile.events.includes(type)) {
        throw new TypeError(
          `@hookproof/mock-sender: ${JSON.stringify(type)} is not a documented ${profile.name} event (${profile.events.join(', ')}); use sender.undocumented(type) to send it anyway.`,
        );
      }
      return makeEvent(profile, random, clock.now(), type, overrides, undocumentedFieldsOf(eventOptions)) as EventFor<
        V,
        typeof type
      >;
    },
    undocumented(type, overrides) {
      if (typeof type !== 'string' || type === '')
        throw new TypeError('@hookproof/mock-sender: undocumented(type) needs the event name.');
      if (profile.events.includes(type)) {
        throw new TypeError(
          `@hookproof/mock-sender: ${JSON.stringify(type)} is documented: use sender.event(${JSON.stringify(type)}) for a typed payload.`,
        );
      }
      return makeEvent(profile, random, clock.now(), type, overrides) as MockEvent<
        string,
        Readonly<Record<string, unknown>>
      >;
    },
    raw(body, opts) {
      return rawEvent(profile, random, clock.now(), body, opts?.type);
    },
    send: (event, sendOptions) => sendOnce(route(), clock, check(event), sendOptions),
    deliver: (event, deliverOptions) => deliverAll(route(), clock, check(event), deliverOptions),
    mockVendorApi(apiOptions = {}) {
      if (api !== undefined)
        throw new TypeError(
          '@hookproof/mock-sender: mockVendorApi() is already active on this sender; call restore() first.',
        );
      const mock = mockVendorApi(profile, apiOptions, {
        random: apiRandom,
        now: () => clock.now(),
        senderSecret: secret,
        onRestore: () => {
          api = undefined;
        },
      });
      api = mock;
      return mock;
    },
    emit: (type, overrides, deliverOptions) => emitAll('emit', type, overrides, deliverOptions),
    emitUndocumented(type, overrides, deliverOptions) {
      if (typeof type !== 'string' || type === '')
        return Promise.reject(new TypeError('@hookproof/mock-sender: emitUndocumented(type) needs the event name.'));
      if (profile.events.includes(type)) {
        return Promise.reject(
          new TypeError(
            `@hookproof/mock-sender: ${JSON.stringify(type)} is documented: use sender.emit(${JSON.stringify(type)}) for a typed payload.`,
          ),
        );
      }
      return emitAll('emitUndocumented', type, overrides, deliverOptions);
    },
    async close() {
      api?.restore();
      await transport?.close();
      await Promise.all([...subscriberTransports.values()].map((t) => t.close()));
    },
  };
  return sender;
}
