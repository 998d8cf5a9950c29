import type { OnWebhookError, VendorChoice, WebhookOptions } from './delivery-types.js';
import { WebhookError, setupError } from './errors.js';
import { createWebhookEngine, type ReceiverLike, type WebhookEngine } from './engine.js';
import type { VendorRef } from './types.js';

/**
 * What the Node framework adapters share besides the engine: building it from what the
 * user passed (options or a receiver), the register-time checks of a plugin's options
 * object, and telling raw bytes a prior body parser kept from a stream it consumed.
 */

/** `webhook(options)` or `webhook(receiver, { onError })`: the engine for either; a setup `TypeError` names the fix. */
export function engineFrom(
  name: string,
  source: WebhookOptions<VendorChoice> | ReceiverLike<VendorRef>,
  settings?: { readonly onError?: OnWebhookError<VendorRef> | undefined },
): WebhookEngine<VendorRef> {
  if (typeof (source as ReceiverLike<VendorRef> | undefined)?.receive === 'function') {
    return createWebhookEngine(source as ReceiverLike<VendorRef>, { name, onError: settings?.onError });
  }
  return createWebhookEngine(source as WebhookOptions<VendorChoice>, { name });
}

/** How a plugin taking one options object (`{ vendor, secret }` or `{ receiver, onError, path }`) is called. */
export interface PluginShape {
  /** Package name for setup errors, e.g. `@hookproof/fastify`. */
  readonly name: string;
  /** The call up to its options, e.g. `register(hookproof, `. */
  readonly call: string;
  /** The framework's own keys that reach the plugin with the user's (Fastify: `prefix`, ...). */
  readonly frameworkKeys: ReadonlySet<string>;
}

/**
 * A plugin's options object checked at register time: receiver mode takes only `receiver`,
 * `onError` and `path` (a route path); options mode takes core's adapter options and no `path`.
 */
export function pluginEngine(
  options: unknown,
  shape: PluginShape,
): { engine: WebhookEngine<VendorRef>; path: string | undefined } {
  const { name, call } = shape;
  if (typeof options !== 'object' || options === null) {
    throw setupError(`${call}{ vendor, secret }) or ${call}{ receiver }) takes an options object.`, name);
  }
  const entries = Object.entries(options).filter(([key]) => !shape.frameworkKeys.has(key));
  const own: Record<string, unknown> = Object.fromEntries(entries);
  if ('receiver' in options) {
    const { receiver, onError, path, ...rest } = own;
    if (typeof (receiver as ReceiverLike<VendorRef> | undefined)?.receive !== 'function') {
      throw setupError(`\`receiver\` must come from createReceiver().`, name);
    }
    const extra = Object.keys(rest).map((k) => `\`${k}\``);
    if (extra.length > 0) {
      const only = 'the plugin takes only receiver, onError and path.';
      const fix = `put ${extra.join(', ')} in createReceiver({ ... }); ${only}`;
      throw setupError(`with a receiver, ${fix}`, name);
    }
    if (path !== undefined && (typeof path !== 'string' || !path.startsWith('/'))) {
      throw setupError(`\`path\` must be a route path starting with '/', e.g. '/hooks/aidelly'.`, name);
    }
    const settings = { name, onError: onError as OnWebhookError<VendorRef> | undefined };
    return { engine: createWebhookEngine(receiver as ReceiverLike<VendorRef>, settings), path };
  }
  if ('path' in own) {
    const fix = 'with options, declare your own route in the scope.';
    throw setupError(`\`path\` is for receivers (${call}{ receiver, path })); ${fix}`, name);
  }
  return { engine: createWebhookEngine(own as unknown as WebhookOptions<VendorChoice>, { name }), path: undefined };
}

/** Whether a body is raw bytes (what a signature is over), not a parsed object. */
export function isRawBody(value: unknown): value is Uint8Array | string {
  return value instanceof Uint8Array || typeof value === 'string';
}

/**
 * The body a Node adapter hands `engine.deliver`: the raw bytes a prior parser kept
 * (`kept`), else `undefined` while the request stream is unread (deliver reads it), else
 * `consumedBody` if the parser that consumed the stream left raw bytes there (`express.raw()`),
 * else `body_not_raw` with the framework's `hint`.
 */
export function priorBody(
  request: { readonly readableEnded?: boolean },
  kept: unknown,
  hint: string,
  consumed = false,
  consumedBody?: unknown,
): Uint8Array | string | WebhookError | undefined {
  if (isRawBody(kept)) return kept;
  if (!consumed && request.readableEnded !== true) return undefined;
  if (consumedBody instanceof Uint8Array) return consumedBody;
  const message = `A body parser consumed the request before webhook() ran, and kept no raw bytes to verify. ${hint}`;
  return new WebhookError('body_not_raw', message, { hint });
}
