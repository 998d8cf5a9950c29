import type { VendorProfile } from '@hookproof/core';
import type { Random } from '../random.js';
import type { Subscription, VendorApiMock, VendorApiOptions } from '../types.js';
import { createWebhook } from './create.js';
import { emulationFor, type ApiEmulation } from './emulations.js';
import { IdempotencyKeys, type ApiReply } from './idempotency.js';
import { deleteWebhook, listWebhooks } from './manage.js';
import { LOOPBACK_HOST, loadNock, type NockModule } from './nock.js';
import type { ApiRequest, ApiState } from './request.js';
import { SubscriptionStore } from './store.js';

export { emulationFor } from './emulations.js';
export type { ApiEmulation } from './emulations.js';

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `/organizations/{organizationId}/webhooks` under the base path, as a RegExp and its parameter names. */
export function pathPattern(basePath: string, template: string): { regex: RegExp; names: string[] } {
  const names: string[] = [];
  const full = `${basePath.replace(/\/+$/, '')}/${template.replace(/^\/+/, '')}`;
  const source = full
    .split(/(\{[^}]+\})/)
    .map((part) => {
      const m = /^\{([^}]+)\}$/.exec(part);
      if (m === null) return escape(part);
      names.push(m[1]!);
      return '([^/?#]+)';
    })
    .join('');
  return { regex: new RegExp(`^${source}/?(?:\\?.*)?$`), names };
}

export interface ApiMockInternals extends VendorApiMock {
  readonly emulation: ApiEmulation;
  /** `emit` reports how each delivery ended (the disable-after-failures rule). */
  recordDelivery(subscriptionId: string, delivered: boolean): void;
}

const PREFIX = '@hookproof/mock-sender:';

function checkRole(profile: VendorProfile, emulation: ApiEmulation, role: unknown): string | undefined {
  if (role === undefined) return undefined;
  if (typeof role !== 'string' || role.trim() === '')
    throw new TypeError(`${PREFIX} \`role\` must be a non-empty string such as 'OWNER' or 'MEMBER'.`);
  if (emulation.roles === undefined) {
    throw new TypeError(
      `${PREFIX} ${profile.name} documents no role check for creating webhooks: remove \`role\` from mockVendorApi().`,
    );
  }
  return role.trim();
}

function checkThreshold(value: unknown, fallback: number | undefined): number | undefined {
  if (value === undefined) return fallback;
  if (value === false) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new TypeError(
      `${PREFIX} \`disableAfterFailures\` must be a positive integer (consecutive failed deliveries) or false (never disable), got ${String(value)}.`,
    );
  }
  return value;
}

/** Lower-case header names, string values, as the handlers expect. */
function headersOf(raw: Readonly<Record<string, unknown>>): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) headers[k.toLowerCase()] = String(v);
  return headers;
}

/** A malformed escape (`%E0`) stays as sent, so it gets the endpoint's 400 or 404 rather than throwing inside nock. */
function decodeParam(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

type Interceptor = ReturnType<ReturnType<NockModule>['post']>;

export function mockVendorApi(
  profile: VendorProfile,
  options: VendorApiOptions,
  deps: { random: Random; now: () => number; senderSecret: string | undefined; onRestore: () => void },
): ApiMockInternals {
  const api = profile.api;
  if (api === undefined) {
    throw new TypeError(
      `@hookproof/mock-sender: ${profile.name} has no webhook API to mock (${profile.provenance.api && 'documented' in profile.provenance.api ? profile.provenance.api.documented : 'none in its profile'}); point the sender at your receiver with \`target\` instead.`,
    );
  }
  const emulation = emulationFor(profile.id);
  if (!emulation.acceptsSecret && !api.returnsSecret && deps.senderSecret === undefined) {
    throw new TypeError(
      `${PREFIX} ${profile.name} signs with the secret from its dashboard: pass \`secret\` to createMockSender().`,
    );
  }
  const role = checkRole(profile, emulation, options.role);
  const threshold = checkThreshold(options.disableAfterFailures, profile.disableAfterFailures);
  const baseUrl = new URL(options.baseUrl ?? api.baseUrl);
  const create = pathPattern(baseUrl.pathname, api.path);
  const state: ApiState = {
    profile,
    emulation,
    random: deps.random,
    now: deps.now,
    senderSecret: deps.senderSecret,
    apiKeys: options.apiKeys,
    role,
    store: new SubscriptionStore(threshold),
    idempotency: new IdempotencyKeys(),
  };
  let calls = 0;

  const { nock, loadedByUs } = loadNock();
  if (!nock.isActive()) nock.activate();
  const scope = nock(baseUrl.origin).persist();
  const interceptors: Interceptor[] = [];
  /** One route: the path's parameters and the request, answered by `handle` as JSON. */
  const route = (
    method: 'post' | 'get' | 'delete',
    pattern: { regex: RegExp; names: string[] },
    handle: (request: ApiRequest) => ApiReply,
  ): void => {
    const interceptor = scope[method](pattern.regex);
    interceptor.reply(function reply(uri, body) {
      const match = pattern.regex.exec(uri);
      const params: Record<string, string> = {};
      pattern.names.forEach((name, i) => {
        params[name] = decodeParam(match?.[i + 1] ?? '');
      });
      const result = handle({ params, headers: headersOf(this.req.headers), body });
      if (result.body === undefined) return [result.status];
      return [result.status, JSON.stringify(result.body), { 'content-type': 'application/json; charset=utf-8' }];
    });
    interceptors.push(interceptor);
  };
  route('post', create, (request) => {
    calls++;
    return createWebhook(state, request);
  });
  if (emulation.list !== undefined) route('get', create, (request) => listWebhooks(state, request));
  if (emulation.remove !== undefined) {
    const one = pathPattern(baseUrl.pathname, `${api.path.replace(/\/+$/, '')}/{webhookId}`);
    route('delete', one, (request) => {
      const { webhookId = '', ...params } = request.params;
      return deleteWebhook(state, webhookId, { ...request, params });
    });
  }
  if (options.netConnect !== 'unchanged') nock.enableNetConnect((host) => LOOPBACK_HOST.test(host));

  let restored = false;
  return {
    emulation,
    baseUrl: baseUrl.href,
    get subscriptions(): readonly Subscription[] {
      return state.store.all();
    },
    recordDelivery: (id, delivered) => state.store.recordDelivery(id, delivered),
    isDone: () => calls > 0,
    done() {
      if (calls === 0) {
        throw new Error(
          `${PREFIX} nothing called ${api.method} ${baseUrl.origin}${baseUrl.pathname.replace(/\/+$/, '')}${api.path} (${profile.name}'s create-webhook endpoint).`,
        );
      }
    },
    restore() {
      if (restored) return;
      restored = true;
      for (const interceptor of interceptors) nock.removeInterceptor(interceptor);
      if (options.netConnect !== 'unchanged') nock.enableNetConnect();
      // Un-patch http and fetch only if nobody else uses nock in this process.
      if (loadedByUs && nock.activeMocks().length === 0 && nock.isActive()) nock.restore();
      deps.onRestore();
    },
  };
}
