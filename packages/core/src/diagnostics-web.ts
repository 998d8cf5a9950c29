import { DELIVERY_CHANNEL, QUEUE_CHANNEL, type DeliveryChannels } from './diagnostics-port.js';

interface DiagnosticsModule {
  tracingChannel?: (name: string) => DeliveryChannels;
}

type BuiltinLoader = ((id: string) => unknown) | undefined;

/**
 * The runtime's TracingChannel, if it has one. No import: a Web bundle must not name a
 * `node:` module (bundlers for Workers and browsers refuse it). Where
 * `process.getBuiltinModule` exists (Deno, Bun, Node >= 20.16) the channel is the same
 * one a Node instrumentation subscribes to; anywhere else, nothing is published.
 */
export function loadDeliveryChannels(
  getBuiltinModule: BuiltinLoader,
  name: string = DELIVERY_CHANNEL,
): DeliveryChannels | undefined {
  if (typeof getBuiltinModule !== 'function') return undefined;
  try {
    const mod = getBuiltinModule('diagnostics_channel') as DiagnosticsModule | undefined;
    return typeof mod?.tracingChannel === 'function' ? mod.tracingChannel(name) : undefined;
  } catch {
    return undefined;
  }
}

const runtimeProcess = (globalThis as { process?: { getBuiltinModule?: BuiltinLoader } }).process;

export const deliveryChannels: DeliveryChannels | undefined = loadDeliveryChannels(
  runtimeProcess?.getBuiltinModule?.bind(runtimeProcess),
);
export const queueChannels: DeliveryChannels | undefined = loadDeliveryChannels(
  runtimeProcess?.getBuiltinModule?.bind(runtimeProcess),
  QUEUE_CHANNEL,
);
