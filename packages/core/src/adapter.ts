// `@hookproof/core/adapter`: what authors of adapters, ports, queues, tracers and dedupe
// stores need, kept out of the application API (`@hookproof/core`). Every export is listed
// here explicitly. See docs/adapters.md for how the pieces fit.

// The delivery pipeline and its extension points.
export { createPipeline } from './pipeline.js';
export type {
  Pipeline,
  PipelineOptions,
  PipelineSettings,
  HandOff,
  HandOffAnswer,
  DeliveryRecord,
  DedupeOutcome,
} from './pipeline.js';
export type { DeliveryRequest, PipelineAnswer } from './delivery-types.js';
// The framework adapters' port over it.
export { createWebhookEngine } from './engine.js';
export type {
  WebhookEngine,
  EngineRequest,
  EngineResult,
  EngineSettings,
  NodeDelivery,
  ReceiverLike,
} from './engine.js';
export { engineFrom, isRawBody, pluginEngine, priorBody } from './adapter-kit.js';
export type { PluginShape } from './adapter-kit.js';
// Reading raw bodies: Node streams (engine.readBody) and Web streams.
export type { BodyRead, BodyStream, WebBodySource } from './read-body.js';
export { bodyReader } from './body-clock.js';
export type { BodyReader, BodyReaderOptions } from './body-clock.js';
export { readFetchBody } from './fetch.js';
// Sync-or-promise, and the options table every entry point checks.
export { chain, chainWith, isPromise, isThenable, promised } from './maybe.js';
export type { MaybePromise } from './maybe.js';
export { OPTIONS, checkOptionKeys, relabel } from './options.js';
export type { OptionEntry, OptionName, OptionOwner, OptionSpec } from './options.js';
export { setupError } from './errors.js';
// For queue authors: the worker side of `createReceiver({ queue })` (docs/durable.md).
export { processQueued, canProcessQueued, defaultQueueTimeoutMs } from './queue.js';
export type { WebhookQueue, QueuedDelivery, EnqueueOptions, QueuedAttempt } from './queue.js';
// For dedupe store authors.
export { dedupeStoreContract } from './dedupe-contract.js';
export type { ContractTestApi, DedupeStoreContractOptions } from './dedupe-contract.js';
// Low-level helpers for custom vendors and tools.
export { headerValues } from './headers.js';
export { encodeMac } from './encoding.js';
export type { SignatureEncoding } from './encoding.js';
