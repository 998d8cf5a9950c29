// Public API of @hookproof/koa. Every export is listed here explicitly.

export { webhook } from './middleware.js';
export type { WebhookState, WebhookMiddleware, KoaWebhookOptions } from './middleware.js';
export { createReceiver, WebhookError } from '@hookproof/core';
export type {
  AnyWebhookEvent,
  EventFor,
  OnWebhookError,
  Receiver,
  ReceiverAdapterSettings,
  SecretSource,
  VendorChoice,
  VendorId,
  WebhookErrorCode,
  WebhookEvent,
  WebhookOptions,
} from '@hookproof/core';
