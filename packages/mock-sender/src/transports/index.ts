import { Server } from 'node:http';
import type { FastifyLike, FetchHandler, KoaLike, NodeListener, Target } from '../types.js';
import { urlTransport } from './http.js';
import { fastifyTransport, fetchTransport } from './inject.js';
import { serverTransport } from './server.js';
import type { Transport } from './transport.js';

export type { Transport } from './transport.js';
export { urlTransport } from './http.js';

const has = (value: unknown, key: string): boolean =>
  typeof value === 'object' && value !== null && typeof (value as Record<string, unknown>)[key] === 'function';

/** One small transport per kind of target; see `Target`. */
export function transportFor(target: Target, path: string): Transport {
  if (typeof target === 'string' || target instanceof URL) return urlTransport(target);
  if (target instanceof Server) return serverTransport(target, path);
  if (typeof target === 'function') {
    // Express apps have `listen` and take (req, res, next); Fetch handlers take one Request.
    const fn = target as ((...args: never[]) => unknown) & { listen?: unknown };
    if (typeof fn.listen === 'function' || fn.length >= 2) return serverTransport(target as NodeListener, path);
    return fetchTransport(target as FetchHandler, path);
  }
  if (has(target, 'inject')) return fastifyTransport(target as FastifyLike, path);
  if (has(target, 'callback')) return serverTransport((target as KoaLike).callback(), path);
  if (has(target, 'listener')) return serverTransport((target as { listener: NodeListener }).listener, path);
  if (has(target, 'fetch')) {
    const app = target as { fetch: FetchHandler };
    return fetchTransport((request) => app.fetch(request), path);
  }
  throw new TypeError(
    '@hookproof/mock-sender: unsupported `target`. Pass a URL, an http.Server, an Express or Koa app, a Fastify instance, or a Fetch handler (request) => Response.',
  );
}
