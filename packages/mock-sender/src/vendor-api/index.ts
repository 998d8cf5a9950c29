import type { VendorProfile } from '@hookproof/core';
import type { Random } from '../random.js';
import type { Subscription, VendorApiMock, VendorApiOptions } from '../types.js';
import { createWebhook, type ApiReply, type ApiState } from './create.js';
import { emulationFor, type ApiEmulation } from './emulations.js';
import { LOOPBACK_HOST, loadNock } from './nock.js';

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
}

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
    throw new TypeError(`@hookproof/mock-sender: ${profile.name} signs with the secret from its dashboard: pass \`secret\` to createMockSender().`);
  }
  const baseUrl = new URL(options.baseUrl ?? api.baseUrl);
  const { regex, names } = pathPattern(baseUrl.pathname, api.path);
  const state: ApiState = {
    profile,
    emulation,
    random: deps.random,
    now: deps.now,
    senderSecret: deps.senderSecret,
    apiKeys: options.apiKeys,
    subscriptions: [],
    replies: new Map<string, ApiReply>(),
  };
  let calls = 0;

  const { nock, loadedByUs } = loadNock();
  if (!nock.isActive()) nock.activate();
  const interceptor = nock(baseUrl.origin).persist().post(regex);
  interceptor.reply(function reply(uri, body) {
    calls++;
    const match = regex.exec(uri);
    const params: Record<string, string> = {};
    names.forEach((name, i) => {
      params[name] = decodeURIComponent(match?.[i + 1] ?? '');
    });
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(this.req.headers)) headers[k.toLowerCase()] = String(v);
    const result = createWebhook(state, params, headers, body);
    return [result.status, JSON.stringify(result.body), { 'content-type': 'application/json; charset=utf-8' }];
  });
  if (options.netConnect !== 'unchanged') nock.enableNetConnect((host) => LOOPBACK_HOST.test(host));

  let restored = false;
  return {
    emulation,
    baseUrl: baseUrl.href,
    get subscriptions(): readonly Subscription[] {
      return [...state.subscriptions];
    },
    isDone: () => calls > 0,
    done() {
      if (calls === 0) {
        throw new Error(`@hookproof/mock-sender: nothing called ${api.method} ${baseUrl.origin}${baseUrl.pathname.replace(/\/+$/, '')}${api.path} (${profile.name}'s create-webhook endpoint).`);
      }
    },
    restore() {
      if (restored) return;
      restored = true;
      nock.removeInterceptor(interceptor);
      if (options.netConnect !== 'unchanged') nock.enableNetConnect();
      // Un-patch http and fetch only if nobody else uses nock in this process.
      if (loadedByUs && nock.activeMocks().length === 0 && nock.isActive()) nock.restore();
      deps.onRestore();
    },
  };
}
