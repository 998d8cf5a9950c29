import { setupError } from './errors.js';
import type { BackoffOptions, ConnectionOptions } from 'bullmq';

/** Where the queue lives: shared by `bullmqQueue`, `startWorker` and `deadLetters`. */
export interface QueueLocation {
  /**
   * BullMQ's `connection`: ioredis options (`{ host, port }`) or an ioredis instance. For
   * the web side, `enableOfflineQueue: false` makes a write fail at once while Redis is
   * away instead of waiting for the timeout.
   */
  connection: ConnectionOptions;
  /** The queue name, the same on the web side and in the workers. No `:`. */
  name: string;
  /** BullMQ's key prefix. Default `bull`. */
  prefix?: string;
}

/** How each job is retried and kept. The defaults are documented in docs/durable.md. */
export interface JobSettings {
  /** Runs of the handlers before a job becomes a dead letter (the first one included). Default 5. */
  attempts?: number;
  /** BullMQ's backoff between runs. Default `{ type: 'exponential', delay: 5000 }`: 5, 10, 20, 40 s. */
  backoff?: number | BackoffOptions;
  /**
   * How long a processed job is kept, in ms: while it is, a copy of the same event cannot
   * make a second job even if the dedupe store forgot it. Default 24 h (the receiver's
   * default `dedupeTtlMs`). Dead letters are kept until replayed or removed.
   */
  keepCompletedMs?: number;
}

export const DEFAULT_ATTEMPTS = 5;
export const DEFAULT_BACKOFF: BackoffOptions = { type: 'exponential', delay: 5000 };
export const DEFAULT_KEEP_COMPLETED_MS = 24 * 60 * 60 * 1000;

export function checkLocation(options: QueueLocation | undefined, where: string): QueueLocation {
  if (typeof options !== 'object' || options === null)
    throw setupError(
      `${where} takes { connection, name }, e.g. { connection: { host: '127.0.0.1', port: 6379 }, name: 'webhooks' }.`,
    );
  if (typeof options.connection !== 'object' || options.connection === null) {
    throw setupError(
      `${where}: \`connection\` must be BullMQ's connection (ioredis options such as { host, port }, or an ioredis instance).`,
    );
  }
  if (typeof options.name !== 'string' || options.name === '' || options.name.includes(':')) {
    throw setupError(`${where}: \`name\` must be a non-empty queue name without ':', e.g. 'webhooks'.`);
  }
  if (options.prefix !== undefined && (typeof options.prefix !== 'string' || options.prefix === ''))
    throw setupError(`${where}: \`prefix\` must be a non-empty string.`);
  return options;
}

export function positive(value: unknown, name: string, integer = false): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    throw setupError(`\`${name}\` must be a positive ${integer ? 'integer' : 'number'}, got ${String(value)}.`);
  }
}
