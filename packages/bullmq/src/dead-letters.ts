import type { QueuedDelivery } from '@hookproof/core';
import { Queue, type Job } from 'bullmq';
import { parseJobId } from './job-id.js';
import { checkLocation, positive, type QueueLocation } from './options.js';

/** A job whose handlers failed on every attempt: what failed, and when. */
export interface DeadLetter {
  /** The BullMQ job id (`<vendor>/<event id>`, URI-encoded): what `replay` takes. */
  readonly jobId: string;
  readonly vendor: string;
  readonly eventId: string;
  readonly type: string;
  /** When the web side accepted the delivery (ms since epoch). */
  readonly receivedAt: number;
  /** When the last attempt failed (ms since epoch), where BullMQ recorded it. */
  readonly failedAt: number | undefined;
  /** Attempts made. */
  readonly attempts: number;
  /** The last attempt's error message. */
  readonly reason: string;
  /** The stack of each failed attempt, as BullMQ kept them. */
  readonly stacktrace: readonly string[];
  /** The job's log: one line per failed attempt (time, attempt, error). */
  readonly log: readonly string[];
  /** The stored delivery: raw body, headers, vendor, event id, receive time. */
  readonly delivery: QueuedDelivery;
}

/** Options of `DeadLetters.list`. */
export interface ListOptions {
  /** Skip this many (oldest failure first). Default 0. */
  start?: number;
  /** At most this many. Default 100. */
  limit?: number;
}

/** The failed jobs of a queue: list them, see why each failed, replay them through the workers. */
export interface DeadLetters {
  /** Failed jobs, the oldest failure first. */
  list(options?: ListOptions): Promise<DeadLetter[]>;
  /** How many jobs are in the failed set. */
  count(): Promise<number>;
  /** One failed job by its job id, or undefined. */
  get(jobId: string): Promise<DeadLetter | undefined>;
  /**
   * Puts one failed job back in the queue with a fresh set of attempts; a running worker
   * processes it (the handlers run with the fixed code) and marks the event done. Resolves
   * false when there is no failed job with that id.
   */
  replay(jobId: string): Promise<boolean>;
  /** Replays every failed job; resolves how many. */
  replayAll(): Promise<number>;
  /** Deletes one failed job for good; resolves false when there is none with that id. */
  remove(jobId: string): Promise<boolean>;
  /** Disconnects. */
  close(): Promise<void>;
}

function deadLetter(job: Job<QueuedDelivery>, log: readonly string[]): DeadLetter {
  const ids = parseJobId(job.id ?? '');
  return {
    jobId: job.id ?? '',
    vendor: job.data.vendor ?? ids?.vendor ?? '',
    eventId: job.data.id ?? ids?.eventId ?? '',
    type: job.data.type ?? job.name,
    receivedAt: job.data.receivedAt,
    failedAt: job.finishedOn,
    attempts: job.attemptsMade,
    reason: job.failedReason ?? '',
    stacktrace: job.stacktrace ?? [],
    log,
    delivery: job.data,
  };
}

/** The dead letters of the queue `name`: BullMQ's failed set, which `bullmqQueue` keeps (never removed on failure). */
export function deadLetters(options: QueueLocation): DeadLetters {
  const location = checkLocation(options, 'deadLetters(options)');
  const bull = new Queue<QueuedDelivery>(location.name, {
    connection: location.connection,
    ...(location.prefix === undefined ? {} : { prefix: location.prefix }),
  });
  bull.on('error', () => undefined); // reported through the rejected calls

  const withLog = async (job: Job<QueuedDelivery>): Promise<DeadLetter> => {
    const { logs } = await bull.getJobLogs(job.id ?? '');
    return deadLetter(job, logs);
  };
  const failed = async (jobId: string): Promise<Job<QueuedDelivery> | undefined> => {
    if (typeof jobId !== 'string' || jobId === '') return undefined;
    const job = await bull.getJob(jobId);
    return job !== undefined && (await job.isFailed()) ? job : undefined;
  };
  const replayJob = (job: Job<QueuedDelivery>) =>
    job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });

  return {
    async list(listOptions: ListOptions = {}) {
      positive(listOptions.limit, 'limit', true);
      const start = listOptions.start ?? 0;
      const limit = listOptions.limit ?? 100;
      const jobs = await bull.getFailed(start, start + limit - 1);
      return Promise.all(jobs.filter((job): job is Job<QueuedDelivery> => job !== undefined).map(withLog));
    },
    count: () => bull.getFailedCount(),
    async get(jobId) {
      const job = await failed(jobId);
      return job === undefined ? undefined : withLog(job);
    },
    async replay(jobId) {
      const job = await failed(jobId);
      if (job === undefined) return false;
      await replayJob(job);
      return true;
    },
    async replayAll() {
      let replayed = 0;
      // Each replayed job leaves the failed set, so the first page is read until it is empty.
      for (;;) {
        const jobs = (await bull.getFailed(0, 99)).filter((job): job is Job<QueuedDelivery> => job !== undefined);
        if (jobs.length === 0) return replayed;
        for (const job of jobs) {
          await replayJob(job);
          replayed++;
        }
      }
    },
    async remove(jobId) {
      const job = await failed(jobId);
      if (job === undefined) return false;
      await job.remove();
      return true;
    },
    close: () => bull.close(),
  };
}
