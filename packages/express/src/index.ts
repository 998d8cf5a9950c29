// Public API of @hookproof/express. Every export is listed here explicitly.
import './augment.js';

export { webhook } from './middleware.js';
export type { WebhookLocals, WebhookMiddleware, WebhookParams, WebhookQuery, ExpressWebhookOptions } from './types.js';
export { keepRawBody } from './body.js';
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
