import type { EnqueueOptions, QueuedDelivery, WebhookQueue } from '@hookproof/core';
import { setupError } from './errors.js';
import { Queue, type JobsOptions } from 'bullmq';
import { durabilityOf, type DurabilityReport } from './durability.js';
import { jobIdFor } from './job-id.js';
import {
  DEFAULT_ATTEMPTS,
  DEFAULT_BACKOFF,
  DEFAULT_KEEP_COMPLETED_MS,
  checkLocation,
  positive,
  type JobSettings,
  type QueueLocation,
} from './options.js';

/** Options of `bullmqQueue`. */
export interface BullmqQueueOptions extends QueueLocation, JobSettings {
  /**
   * Refuse to acknowledge on a Redis that could lose or evict a queued job (appendonly off,
   * a `maxmemory-policy` other than `noeviction`): every write fails, so deliveries get 503
   * and the vendor keeps them, and `ready()` rejects. Default false: warn once.
   */
  strict?: boolean;
  /**
   * How long a write may take before the receiver answers 503 `queue_unavailable`, in ms.
   * Default: a third of the vendor's deadline, at most 3 s (Aidelly: 3 s of its 10 s).
   */
  timeoutMs?: number;
  /** Where the start-up durability warning goes. Default `console.warn`. */
  onWarning?: (message: string) => void;
}

/** The web side of the queue: pass it as `createReceiver({ queue })`. */
export interface BullmqWebhookQueue extends WebhookQueue {
  /** The queue name. */
  readonly name: string;
  /** The BullMQ queue itself, for dashboards and metrics. Add no jobs of your own to it. */
  readonly queue: Queue<QueuedDelivery>;
  /**
   * Resolves what Redis said about durability at start-up (read once, in the background,
   * when the queue was created). With `strict`, rejects with a `TypeError` naming the
   * setting to change. Await it at start-up to fail fast.
   */
  ready(): Promise<DurabilityReport>;
}

/** A write refused because the queue is closing (the delivery gets 503; the vendor retries). */
export class QueueClosedError extends Error {
  override readonly name = 'QueueClosedError';
  constructor() {
    super('The queue is closing: nothing new is written.');
  }
}

/** The options every job is added with. */
export function jobOptions(settings: JobSettings): JobsOptions {
  positive(settings.attempts, 'attempts', true);
  positive(settings.keepCompletedMs, 'keepCompletedMs');
  return {
    attempts: settings.attempts ?? DEFAULT_ATTEMPTS,
    backoff: settings.backoff ?? DEFAULT_BACKOFF,
    // Kept for a while so the job id still stops a second job; BullMQ counts in seconds.
    removeOnComplete: { age: Math.ceil((settings.keepCompletedMs ?? DEFAULT_KEEP_COMPLETED_MS) / 1000) },
    // Failed jobs are the dead letters: kept until replayed or removed.
    removeOnFail: false,
  };
}

/**
 * A durable queue for `createReceiver({ queue })`, on BullMQ: each verified delivery is
 * one job (id from the vendor and event id, so writing it twice leaves one job), and the
 * receiver answers 202 only once Redis confirmed the write. Run the handlers with
 * `startWorker`. Checks Redis's `appendonly` and `maxmemory-policy` at start-up.
 */
export function bullmqQueue(options: BullmqQueueOptions): BullmqWebhookQueue {
  const location = checkLocation(options, 'bullmqQueue(options)');
  positive(options.timeoutMs, 'timeoutMs');
  if (options.strict !== undefined && typeof options.strict !== 'boolean')
    throw setupError('`strict` must be true or false.');
  if (options.onWarning !== undefined && typeof options.onWarning !== 'function')
    throw setupError('`onWarning` must be a function (message) => void.');
  const addOptions = jobOptions(options);
  const strict = options.strict === true;
  const warn = options.onWarning ?? ((message: string) => console.warn(message));
  const bull = new Queue<QueuedDelivery>(location.name, {
    connection: location.connection,
    ...(location.prefix === undefined ? {} : { prefix: location.prefix }),
  });
  // A failed write rejects its own `add`; without a listener BullMQ's 'error' events would crash the process.
  bull.on('error', () => undefined);
  const inFlight = new Set<Promise<void>>();
  // close() waits for writes in flight, but never longer than the receiver waited for one.
  let longestWaitMs = 0;
  let closing: Promise<void> | undefined;
  let report: Promise<DurabilityReport> | undefined;

  function read(): Promise<DurabilityReport> {
    report ??= (async () => {
      const client = await bull.client;
      return durabilityOf(await client.info());
    })();
    // A Redis that was away is asked again next time.
    report.catch(() => (report = undefined));
    return report;
  }

  async function ready(): Promise<DurabilityReport> {
    const found = await read();
    if (strict && found.problems.length > 0) {
      throw setupError(
        `bullmqQueue({ strict: true }) refuses to acknowledge deliveries: ${found.problems.join(' ')} Or drop \`strict\` to only warn.`,
      );
    }
    return found;
  }

  read().then(
    (found) => {
      for (const problem of found.problems)
        warn(
          `@hookproof/bullmq (queue ${location.name}): ${problem}${strict ? ' Deliveries are refused (strict).' : ''}`,
        );
    },
    () => undefined, // Redis unreachable now: each write fails and is answered 503 until it is back.
  );

  async function write(delivery: QueuedDelivery): Promise<void> {
    if (strict) await ready();
    await bull.add(delivery.type, delivery, { ...addOptions, jobId: jobIdFor(delivery.vendor, delivery.id) });
  }

  return {
    name: location.name,
    queue: bull,
    timeoutMs: options.timeoutMs,
    ready,
    enqueue(delivery: QueuedDelivery, enqueueOptions: EnqueueOptions): Promise<void> {
      if (closing !== undefined) return Promise.reject(new QueueClosedError());
      const pending = write(delivery);
      const timeoutMs = enqueueOptions?.timeoutMs;
      if (typeof timeoutMs === 'number' && timeoutMs > longestWaitMs) longestWaitMs = timeoutMs;
      const settled = pending.then(
        () => void inFlight.delete(settled),
        () => void inFlight.delete(settled),
      );
      inFlight.add(settled);
      return pending;
    },
    close(): Promise<void> {
      closing ??= (async () => {
        if (inFlight.size > 0) await bound(Promise.all([...inFlight]), longestWaitMs > 0 ? longestWaitMs : 3000);
        await bull.close();
      })();
      return closing;
    },
  };
}

/** Settles when `promise` does or after `ms`, whichever is first; never rejects. */
function bound(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([
    promise.then(
      () => undefined,
      () => undefined,
    ),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
