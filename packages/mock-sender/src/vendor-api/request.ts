import type { VendorProfile } from '@hookproof/core';
import type { Random } from '../random.js';
import type { ApiEmulation } from './emulations.js';
import type { ApiReply, IdempotencyKeys } from './idempotency.js';
import type { SubscriptionStore } from './store.js';

export interface ApiState {
  readonly profile: VendorProfile;
  readonly emulation: ApiEmulation;
  readonly random: Random;
  readonly now: () => number;
  /** Signing secret for vendors whose API neither takes nor returns one (Aidelly: the dashboard's). */
  readonly senderSecret: string | undefined;
  readonly apiKeys: readonly string[] | undefined;
  /** The role of the API key's user, for vendors with a role check (Timbrix); `undefined`: allowed. */
  readonly role: string | undefined;
  readonly store: SubscriptionStore;
  readonly idempotency: IdempotencyKeys;
}

/** One request as the interceptor saw it: lower-case header names. */
export interface ApiRequest {
  readonly params: Readonly<Record<string, string>>;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
}

export function errorReply(state: ApiState, status: number, code: string, message: string): ApiReply {
  return { status, body: state.emulation.error(code, message) };
}

/** The API key from a scheme the vendor accepts, or undefined. */
function apiKeyOf(state: ApiState, headers: Readonly<Record<string, string>>): string | undefined {
  const { auth } = state.emulation;
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(headers['authorization'] ?? '');
  if (auth.includes('bearer') && bearer?.[1] !== undefined) return bearer[1];
  const key = headers['x-api-key']?.trim();
  if (auth.includes('x-api-key') && key !== undefined && key !== '') return key;
  return undefined;
}

/** The API key, or the 401 every vendor documents for a missing or invalid one. */
export function authenticate(
  state: ApiState,
  headers: Readonly<Record<string, string>>,
): { key: string } | { reply: ApiReply } {
  const key = apiKeyOf(state, headers);
  if (key === undefined || (state.apiKeys !== undefined && !state.apiKeys.includes(key))) {
    return { reply: errorReply(state, 401, 'unauthorized', 'Missing or invalid API key') };
  }
  return { key };
}

/** Checks required headers; returns their values (lower-case names) or a 400. */
export function requireHeaders(
  state: ApiState,
  names: readonly string[],
  headers: Readonly<Record<string, string>>,
): { values: Record<string, string> } | { reply: ApiReply } {
  const values: Record<string, string> = {};
  for (const name of names) {
    const value = headers[name.toLowerCase()];
    if (value === undefined || value.trim() === '')
      return { reply: errorReply(state, 400, 'missing_header', `The ${name} header is required.`) };
    values[name.toLowerCase()] = value.trim();
  }
  return { values };
}
