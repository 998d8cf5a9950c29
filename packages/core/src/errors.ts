/**
 * Every failure `verify` or a receiver can report, with the HTTP status an adapter
 * answers. The first codes are the original design; `malformed_timestamp`,
 * `invalid_auth_header`, `body_timeout`, `handler_timeout`, `store_unavailable`,
 * `unsupported_encoding`, `secret_unavailable`, `body_unreadable`, `internal_error` and `queue_unavailable` were added for cases it left open.
 */
export const errorStatuses = {
  missing_signature: 401,
  missing_timestamp: 401,
  malformed_signature: 401,
  malformed_timestamp: 401,
  signature_mismatch: 401,
  timestamp_out_of_tolerance: 401,
  invalid_auth_header: 401,
  forbidden_ip: 403,
  method_not_allowed: 405,
  invalid_json: 400,
  invalid_payload: 400,
  payload_too_large: 413,
  // A Content-Encoding other than identity: the signature covers the bytes as sent, and
  // decompressing unauthenticated input invites zip bombs (docs/reliability.md).
  unsupported_encoding: 415,
  body_timeout: 408,
  // The stream failed or ended short of its content-length (the client aborted, a proxy cut
  // it): not slowness, so not 408.
  body_unreadable: 400,
  body_not_raw: 500,
  duplicate: 200,
  in_progress: 409,
  handler_error: 500,
  handler_timeout: 503,
  store_unavailable: 503,
  // A secret-manager lookup (an async `secret` function) failed: temporary, so the vendor retries.
  secret_unavailable: 503,
  // A bug inside hookproof, never blamed on the sender's signature.
  internal_error: 500,
  // A receiver with a `queue` could not write the delivery (in time): nothing was acknowledged.
  queue_unavailable: 503,
} as const;

/** A machine-readable failure code; `errorStatuses[code]` is its HTTP status. */
export type WebhookErrorCode = keyof typeof errorStatuses;

/** The JSON body adapters send for a failure. Never contains secrets or expected signatures. */
export interface WebhookErrorBody {
  readonly error: WebhookErrorCode;
  readonly message: string;
}

/** Extra fields of a `WebhookError`. */
export interface WebhookErrorOptions {
  vendor?: string | undefined;
  hint?: string | undefined;
  /** Structured detail, e.g. Standard Schema issues for `invalid_payload`. Safe to show. */
  details?: unknown;
  cause?: unknown;
}

/**
 * One error type with a machine-readable `code` (no string matching on messages),
 * the `status` an adapter sends, and a `hint` naming the fix for the developer.
 */
export class WebhookError extends Error {
  override readonly name = 'WebhookError';
  readonly code: WebhookErrorCode;
  readonly status: number;
  readonly vendor: string | undefined;
  readonly hint: string | undefined;
  readonly details: unknown;

  constructor(code: WebhookErrorCode, message: string, options: WebhookErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = errorStatuses[code];
    this.vendor = options.vendor;
    this.hint = options.hint;
    this.details = options.details;
  }

  /** The response body: `{ error, message }`, nothing else (the hint is for logs, not for peers). */
  toJSON(): WebhookErrorBody {
    return { error: this.code, message: this.message };
  }
}

/** Whether `value` is a `WebhookError` (narrows it in a `catch` or an `onError` handler). */
export function isWebhookError(value: unknown): value is WebhookError {
  return value instanceof WebhookError;
}

/**
 * Programmer errors at setup time: thrown, unlike anything a network peer controls. One
 * shape for every package: a `TypeError` whose message is `<package>: <what is wrong and
 * the fix>` (core's own say `@hookproof:`; ports relabel them with their package name).
 */
export function setupError(message: string, packageName = '@hookproof'): TypeError {
  return new TypeError(`${packageName}: ${message}`);
}
