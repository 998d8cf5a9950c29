import { setupError } from './errors.js';

/** ioredis connection options read from a `redis://` or `rediss://` URL (what `--redis` takes). */
export interface UrlConnection {
  host: string;
  port: number;
  username?: string;
  password?: string;
  db?: number;
  tls?: Record<string, never>;
}

/** BullMQ `connection` options from a Redis URL: `redis://[user:password@]host[:port][/db]`, `rediss://` for TLS. */
export function connectionFromUrl(url: string): UrlConnection {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw setupError(`not a Redis URL: ${JSON.stringify(url)}; use redis://host:6379 (rediss:// for TLS).`);
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:')
    throw setupError(`a Redis URL starts with redis:// or rediss://, got ${JSON.stringify(parsed.protocol)}.`);
  const out: UrlConnection = {
    host: parsed.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1',
    port: parsed.port === '' ? 6379 : Number(parsed.port),
  };
  if (parsed.username !== '') out.username = decodeURIComponent(parsed.username);
  if (parsed.password !== '') out.password = decodeURIComponent(parsed.password);
  const db = parsed.pathname.replace(/^\//, '');
  if (db !== '') {
    if (!/^\d+$/.test(db)) throw setupError(`the Redis URL's path is a database number, got ${JSON.stringify(db)}.`);
    out.db = Number(db);
  }
  if (parsed.protocol === 'rediss:') out.tls = {};
  return out;
}
