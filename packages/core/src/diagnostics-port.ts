/**
 * The second runtime-specific port in core (next to the crypto port): where deliveries
 * are published for instrumentation. `diagnostics-node.ts` is Node's
 * `node:diagnostics_channel`; the Web build swaps in `diagnostics-web.ts`, which uses the
 * runtime's `node:diagnostics_channel` when it offers one through
 * `process.getBuiltinModule` (Deno, Bun, Node) and publishes nothing otherwise.
 */

/** The TracingChannel name: subscribe to `tracing:hookproof:delivery:start`, `:end` and `:error`. */
export const DELIVERY_CHANNEL = 'hookproof:delivery';

/** The TracingChannel of the durable queue: the write (`enqueue`) and each worker attempt (`process`). */
export const QUEUE_CHANNEL = 'hookproof:queue';

/** What core needs of one `diagnostics_channel` Channel. */
export interface ChannelLike {
  readonly hasSubscribers: boolean;
  publish(message: unknown): void;
}

/** The channels of the `hookproof:delivery` TracingChannel that core publishes on. */
export interface DeliveryChannels {
  readonly start: ChannelLike;
  readonly end: ChannelLike;
  readonly error: ChannelLike;
}
