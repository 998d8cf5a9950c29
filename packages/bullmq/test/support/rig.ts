import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { createReceiver, type Receiver, type WebhookError } from '@hookproof/core';
import { createRedisStore } from '@hookproof/redis';
import { bullmqQueue, startWorker, type BullmqQueueOptions, type BullmqWebhookQueue, type WebhookWorker, type WorkerOptions } from '@hookproof/bullmq';
import type { AttemptResult } from '@hookproof/mock-sender';

export const SECRET = 'whsec_bullmq-test-secret-0123456789';

/** Resolves once `condition` holds; fails the test after `timeoutMs`. */
export async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/** A name no other test run uses (tests may share a developer's Redis). */
export function uniqueName(label: string): string {
  return `hookproof-test-${label}-${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
}

/** ioredis options for BullMQ from a redis:// URL. */
export function connectionOf(url: string): { host: string; port: number } {
  const parsed = new URL(url);
  return { host: parsed.hostname, port: Number(parsed.port || 6379) };
}

export function answer(attempt: AttemptResult): { status: number | undefined; body: unknown } {
  return { status: attempt.status, body: attempt.response === undefined ? undefined : (JSON.parse(attempt.response.body) as unknown) };
}

export interface Instance {
  receiver: Receiver<'aidelly'>;
  queue: BullmqWebhookQueue;
  errors: WebhookError[];
}

export interface Rig {
  url: string;
  name: string;
  prefix: string;
  admin: Redis;
  /** Event ids, once per successful run of the handler, in order. */
  runs: string[];
  /** Every call of the handler (successful or not). */
  calls: string[];
  /** A web instance: its own receiver and queue, the shared Redis dedupe store. */
  instance(options?: Partial<BullmqQueueOptions>): Instance;
  /** A worker for `instance`'s receiver. */
  worker(on: Instance, options?: Partial<WorkerOptions>): WebhookWorker;
  /** The jobs of the queue, by state. */
  counts(): Promise<Record<string, number>>;
  close(): Promise<void>;
}

/**
 * Web instances and workers for one fresh queue on `url`, with a Redis dedupe store
 * (one namespace per rig) shared by all of them, as in production.
 */
export async function rig(url: string, handler?: (eventId: string, calls: number) => void | Promise<void>): Promise<Rig> {
  const name = uniqueName('q');
  const prefix = `${name}-bull`;
  const connection = connectionOf(url);
  const admin = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  admin.on('error', () => undefined);
  await admin.connect();
  const storeClient = new Redis(url, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: 1000 });
  storeClient.on('error', () => undefined);
  await storeClient.connect();
  const store = createRedisStore({ client: storeClient, namespace: 'bullmq-test', prefix: `${name}-dedupe:` });
  const runs: string[] = [];
  const calls: string[] = [];
  const closers: (() => Promise<void>)[] = [];
  const r: Rig = {
    url,
    name,
    prefix,
    admin,
    runs,
    calls,
    instance(options = {}) {
      const queue = bullmqQueue({ connection, name, prefix, backoff: { type: 'fixed', delay: 50 }, onWarning: () => undefined, ...options });
      closers.push(() => queue.close());
      const errors: WebhookError[] = [];
      const receiver = createReceiver({ vendor: 'aidelly', secret: SECRET, dedupe: store, queue });
      receiver.onAny(async (event) => {
        calls.push(event.id);
        await handler?.(event.id, calls.filter((id) => id === event.id).length);
        runs.push(event.id);
      });
      receiver.onError((error) => {
        errors.push(error);
      });
      return { receiver, queue, errors };
    },
    worker(on, options = {}) {
      const worker = startWorker(on.receiver, { connection, name, prefix, ...options });
      closers.push(() => worker.close());
      return worker;
    },
    async counts() {
      const c = await admin.multi().zcard(`${prefix}:${name}:completed`).zcard(`${prefix}:${name}:failed`).llen(`${prefix}:${name}:wait`).llen(`${prefix}:${name}:active`).zcard(`${prefix}:${name}:delayed`).exec();
      const [completed, failed, waiting, active, delayed] = (c ?? []).map(([, n]) => Number(n));
      return { completed: completed!, failed: failed!, waiting: waiting!, active: active!, delayed: delayed! };
    },
    async close() {
      for (const close of closers.splice(0).reverse()) await close().catch(() => undefined);
      const keys = await admin.keys(`${name}*`);
      if (keys.length > 0) await admin.del(...keys);
      admin.disconnect();
      storeClient.disconnect();
    },
  };
  return r;
}
