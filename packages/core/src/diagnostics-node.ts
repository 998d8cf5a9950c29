import { tracingChannel } from 'node:diagnostics_channel';
import { DELIVERY_CHANNEL, QUEUE_CHANNEL, type DeliveryChannels } from './diagnostics-port.js';

/** Node (>= 18.19) always has TracingChannel. */
export const deliveryChannels: DeliveryChannels | undefined = tracingChannel(DELIVERY_CHANNEL);
export const queueChannels: DeliveryChannels | undefined = tracingChannel(QUEUE_CHANNEL);
