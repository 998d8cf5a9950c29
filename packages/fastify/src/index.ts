// Public API of @hookproof/fastify. Every export is listed here explicitly.
import './augment.js';
import { hookproof } from './plugin.js';

export default hookproof;
export { hookproof };
export type { HookproofFastifyOptions, FastifyVerifyOptions, FastifyReceiverOptions, AnyReceiver } from './types.js';
export type { RequestWebhook } from './augment.js';
export { createReceiver, WebhookError } from '@hookproof/core';
export type {
  AnyWebhookEvent,
  EventFor,
  OnWebhookError,
  Receiver,
  SecretSource,
  VendorChoice,
  VendorId,
  WebhookErrorCode,
  WebhookEvent,
  WebhookOptions,
} from '@hookproof/core';
