import type { SigningScheme } from '../scheme.js';
import { recipe, type LoosePayload } from './recipe.js';

const PAGE = 'Paddle Developer docs, "Verify webhook signatures"';

/** `Paddle-Signature: ts=<unix s>;h1=<hex>[;h1=<hex>…]` over `<ts>:<raw body>`, keyed by the endpoint secret key. */
export const paddleScheme: SigningScheme = {
  algorithm: 'sha256',
  secretEncoding: 'utf8',
  signedContent: '{timestamp}:{body}',
  signature: { header: 'Paddle-Signature', prefix: 'h1=', separator: ';', encoding: 'hex' },
  timestamp: { key: 'ts', format: 'unix-s' },
};

/** A Paddle Billing notification, typed loosely. */
export interface PaddleEventPayload extends LoosePayload {
  readonly event_id: string;
  readonly event_type: string;
  readonly occurred_at: string;
  readonly data: LoosePayload;
}
/** Any event type; payloads typed loosely. */
export type PaddleEvents = { readonly [type: string]: PaddleEventPayload };

/** Paddle Billing webhooks (recipe). */
export const paddle = /* @__PURE__ */ recipe<PaddleEvents, 'paddle'>(() => ({
  id: 'paddle',
  name: 'Paddle',
  docsUrl: 'https://developer.paddle.com/webhooks/signature-verification',
  source: PAGE,
  scheme: paddleScheme,
  toleranceSec: 5,
  typeFields: ['event_type'],
  idField: 'event_id',
  timeField: 'occurred_at',
  notes: {
    toleranceSec: {
      assumed:
        "five seconds, the window Paddle's SDKs apply; widen it with `toleranceSec` if your clock or queue needs more",
    },
  },
}));
