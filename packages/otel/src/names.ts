/** The span and metric attribute names this instrumentation records. */
export const ATTR = {
  /** The vendor id: `aidelly`, `autoposting`, ... (`unknown` on metrics when no vendor was detected). */
  vendor: 'webhook.vendor',
  /** The verified event's type, e.g. `post.published`. */
  eventType: 'webhook.event.type',
  /** The verified event's id (the vendor's, or `sha256:...` of the body). Spans only: unbounded. */
  eventId: 'webhook.event.id',
  /** `ok`, `duplicate`, or the error code answered (`signature_mismatch`, `handler_error`, ...). */
  outcome: 'webhook.outcome',
  /** Which rotation secret matched (0 = the first). */
  secretIndex: 'webhook.secret.index',
  /** What the dedupe store said: `new`, `duplicate`, `in_progress`, `unavailable`, `off`. */
  dedupe: 'webhook.dedupe',
  /** The HTTP status answered. */
  status: 'http.response.status_code',
  /** The error code, for every outcome but `ok` (OpenTelemetry's `error.type`). */
  errorType: 'error.type',
  /** Queue spans: `hookproof` (OpenTelemetry's messaging conventions). */
  messagingSystem: 'messaging.system',
  /** Queue spans: `send` (the write, in the request) or `process` (a worker attempt). */
  messagingOperation: 'messaging.operation.type',
  /** Consumer spans: the worker's attempt, 1 for the first. */
  attempt: 'webhook.attempt',
} as const;

/** The metric names this instrumentation records. */
export const METRIC = {
  /** Counter of deliveries, by `webhook.vendor` and `webhook.outcome`. */
  deliveries: 'webhook.deliveries',
  /** Histogram (s) from the start of a delivery to its answer, by `webhook.vendor` and `webhook.outcome`. */
  deliveryDuration: 'webhook.delivery.duration',
  /** Histogram (s) of the handlers' time, by `webhook.vendor`, `webhook.event.type` and `webhook.outcome`. */
  handlerDuration: 'webhook.handler.duration',
} as const;
