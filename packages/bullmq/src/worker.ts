import { canProcessQueued, processQueued, type QueuedDelivery } from '@hookproof/core/adapter';
import { setupError } from './errors.js';
import { Worker, type Job } from 'bullmq';
import { checkLocation, positive, type QueueLocation } from './options.js';

/** Options of `startWorker`: where the queue is, and how BullMQ runs the jobs. */
export interface WorkerOptions extends QueueLocation {
  /** Jobs run at once by this worker. Default 1 (BullMQ's). */
  concurrency?: number;
  /**
   * How long a running job stays locked to this worker, in ms. A worker that dies (crash,
   * `SIGKILL`, lost host) stops renewing the lock; after it expires, the next stall check
   * gives the job to another worker: processing is at-least-once. Default 30 000 (BullMQ's).
   */
  lockDuration?: number;
  /** How often this worker looks for jobs whose lock expired, in ms. Default 30 000 (BullMQ's). */
  stalledInterval?: number;
  /** Times a job may stall (its worker died) before it fails. Default 1 (BullMQ's). */
  maxStalledCount?: number;
}

/** A running worker: `close()` stops taking jobs and waits for the running ones to finish. */
export interface WebhookWorker {
  /** The BullMQ worker, for metrics and events. */
  readonly worker: Worker<QueuedDelivery>;
  /** Stops taking jobs, lets the running ones finish (drain), then disconnects. */
  close(): Promise<void>;
}

function messageOf(cause: unknown): string {
  return cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
}

/**
 * Runs `receiver`'s `.on`/`.onAny` handlers for the deliveries its `queue` wrote: the typed
 * event is rebuilt from the stored bytes (no second signature check), the event is marked
 * done in the receiver's dedupe store after the handlers succeed, and a failure is retried
 * with the queue's attempts and backoff, each failed attempt written to the job's log and
 * reported to the receiver's `onError` handlers. A job that used up its attempts stays in
 * BullMQ's failed set: the dead letters (`deadLetters`).
 *
 * At-least-once: a worker killed mid-job has its job run again by another worker after
 * BullMQ's stall check. Make side effects idempotent with `event.id`.
 */
export function startWorker(receiver: object, options: WorkerOptions): WebhookWorker {
  const location = checkLocation(options, 'startWorker(receiver, options)');
  positive(options.concurrency, 'concurrency', true);
  positive(options.lockDuration, 'lockDuration');
  positive(options.stalledInterval, 'stalledInterval');
  if (
    options.maxStalledCount !== undefined &&
    !(Number.isInteger(options.maxStalledCount) && options.maxStalledCount >= 0)
  ) {
    throw setupError(`\`maxStalledCount\` must be a whole number, got ${String(options.maxStalledCount)}.`);
  }
  // Checked now, not at the first job: the worker runs the handlers of the receiver that queued them.
  if (!canProcessQueued(receiver)) {
    throw setupError(
      'startWorker(receiver, options): pass the receiver created with createReceiver({ ..., queue: bullmqQueue(...) }) and its handlers (.on, .onAny).',
    );
  }

  const run = async (job: Job<QueuedDelivery>): Promise<void> => {
    const attempt = job.attemptsMade + 1;
    const last = attempt >= (job.opts.attempts ?? 1);
    try {
      await processQueued(receiver, job.data, { attempt, last });
    } catch (cause) {
      await job
        .log(`${new Date().toISOString()} attempt ${attempt} of ${job.opts.attempts ?? 1} failed: ${messageOf(cause)}`)
        .catch(() => undefined);
      throw cause instanceof Error ? cause : new Error(messageOf(cause));
    }
    if (attempt > 1) await job.log(`${new Date().toISOString()} attempt ${attempt} succeeded`).catch(() => undefined);
  };

  const worker = new Worker<QueuedDelivery>(location.name, run, {
    connection: location.connection,
    ...(location.prefix === undefined ? {} : { prefix: location.prefix }),
    ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
    ...(options.lockDuration === undefined ? {} : { lockDuration: options.lockDuration }),
    ...(options.stalledInterval === undefined ? {} : { stalledInterval: options.stalledInterval }),
    ...(options.maxStalledCount === undefined ? {} : { maxStalledCount: options.maxStalledCount }),
  });
  // Connection errors are retried by BullMQ; without a listener they would crash the process.
  worker.on('error', () => undefined);
  return {
    worker,
    close: () => worker.close(),
  };
}
