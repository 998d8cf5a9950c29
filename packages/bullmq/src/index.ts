// Public API of @hookproof/bullmq. Every export is listed here explicitly.
export { bullmqQueue, QueueClosedError } from './queue.js';
export type { BullmqQueueOptions, BullmqWebhookQueue } from './queue.js';
export { startWorker } from './worker.js';
export type { WorkerOptions, WebhookWorker } from './worker.js';
export { deadLetters } from './dead-letters.js';
export type { DeadLetter, DeadLetters, ListOptions } from './dead-letters.js';
export { durabilityOf } from './durability.js';
export type { DurabilityReport } from './durability.js';
export { jobIdFor } from './job-id.js';
export { connectionFromUrl } from './connection.js';
export type { UrlConnection } from './connection.js';
export type { QueueLocation, JobSettings } from './options.js';
