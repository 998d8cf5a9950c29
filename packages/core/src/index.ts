// Public API of @hookproof/core: what applications use. Every export is listed here explicitly.
// What adapter, port, queue and store authors need is in ./adapter.ts (`@hookproof/core/adapter`).
export { verify, createVerifier, DEFAULT_MAX_BODY_BYTES } from './verify.js';
export type { VerifyInput, VerifyOptions, Verifier } from './verify.js';
export { sign } from './sign.js';
export { schemeOf } from './scheme-of.js';
export type {
  SigningScheme,
  SignatureSyntax,
  TimestampSource,
  SecretEncoding,
  HmacAlgorithm,
  HmacKey,
  HeaderNames,
  TimestampFormat,
  SignedContent,
  CompiledScheme,
  TemplatePart,
  TemplateField,
} from './scheme.js';
export type { SignInput } from './sign.js';
export { vendors, vendorIds } from './vendors/index.js';
export type { VendorId, BuiltInEvents, BuiltInProfiles } from './vendors/index.js';
export type {
  VendorProfile,
  ProfileFields,
  ProfileField,
  SchemeProfileFields,
  OptionalProfileField,
  Provenance,
  EventMap,
  RetryPolicy,
  SubscriptionApi,
} from './vendors/profile.js';
export type { AutopostingEvents, AutopostingEnvelope, AutopostingData } from './vendors/autoposting/index.js';
export type {
  AidellyEvents,
  AidellyEnvelope,
  AidellyPostData,
  AidellyPostPublishedData,
} from './vendors/aidelly/index.js';
export type {
  AudenciEvents,
  AudenciEnvelope,
  AudenciData,
  AudenciPostPublishedData,
  AudenciPlatformResult,
} from './vendors/audenci/index.js';
export type { TimbrixEvents, TimbrixEnvelope, TimbrixData } from './vendors/timbrix/index.js';
export type {
  StandardWebhooksEvents,
  StandardWebhooksEnvelope,
  StandardWebhooksData,
} from './vendors/standard-webhooks/index.js';
export { standardWebhooksScheme } from './vendors/standard-webhooks/index.js';
export { undocumentedField } from './fields.js';
export type { UndocumentedFields } from './fields.js';
export { detectVendor } from './detect.js';
export { defineVendor } from './define.js';
export type { VendorDefinition, SigningField } from './define.js';
export { createReceiver } from './receiver.js';
export type { DeliveryOptions } from './guard.js';
export type {
  Receiver,
  ReceiverOptions,
  ReceiveResult,
  SuccessBody,
  QueuedBody,
  EventHandler,
  ErrorHandler,
} from './receiver.js';
export type { WebhookQueue, QueuedDelivery, EnqueueOptions } from './queue.js';
export type {
  WebhookOptions,
  EventFor,
  AnyWebhookEvent,
  SecretMap,
  SecretSource,
  ErrorResponse,
  OnWebhookError,
  ReceiverAdapterSettings,
  VendorChoice,
  ResolveVendor,
} from './delivery-types.js';
export type { SecretResolver } from './secret-source.js';
export { handleWebhook } from './fetch.js';
export type { HandleWebhookOptions, HandleWebhookReceiver, ConnectionInfo } from './fetch.js';
export { diagnose } from './diagnose.js';
export type { Diagnosis, DiagnosisCause } from './diagnose.js';
export { createMemoryStore } from './dedupe.js';
export type { DedupeStore, ClaimState, MemoryStore, MemoryStoreOptions } from './dedupe.js';
export { WebhookError, isWebhookError, errorStatuses } from './errors.js';
export type { WebhookErrorCode, WebhookErrorBody, WebhookErrorOptions } from './errors.js';
export type { HeadersLike } from './headers.js';
export { parseTimestamp } from './timestamp.js';
export type { StandardSchemaV1, StandardSchemaIssue, StandardSchemaResult, PayloadSchema } from './schema.js';
export type {
  VendorRef,
  VendorName,
  EventsOf,
  EventType,
  EventOf,
  KnownEvent,
  UndocumentedEvent,
  UndocumentedType,
  WebhookEvent,
  VerifyResult,
  IdSource,
  Secrets,
} from './types.js';
export { cryptoPort as runtimeCrypto } from './crypto-node.js';
export { DELIVERY_CHANNEL, QUEUE_CHANNEL } from './diagnostics.js';
export type { DeliveryMessage, DeliveryOutcome, DedupeOutcome, QueueMessage, RunInContext } from './diagnostics.js';
export { consoleLogger, logLevels } from './delivery-log.js';
export type { WebhookLogger, WebhookLogLevel, WebhookLogFields } from './delivery-log.js';
export type { HandlerContext, HandlerLogger, HandlerAbortReason, ClosingSource } from './handler-context.js';
