import type { Subscription } from '../types.js';

interface Entry {
  subscription: Subscription;
  /** Optional fields of the create request that the vendor echoes (Aidelly's `description`). */
  readonly extra: { readonly description?: string };
  consecutiveFailures: number;
}

/**
 * The mock's subscriptions, shared by the create, list and delete endpoints and by
 * `emit`. Subscriptions are frozen snapshots; a change (disabling) replaces one.
 */
export class SubscriptionStore {
  readonly #entries: Entry[] = [];

  /**
   * @param disableAfterFailures consecutive failed deliveries after which a subscription is
   *   disabled (Autoposting's concept page: "repeated failures disable the endpoint");
   *   `undefined`: never.
   */
  constructor(readonly disableAfterFailures: number | undefined) {}

  add(subscription: Subscription, extra: Entry['extra']): void {
    this.#entries.push({ subscription, extra, consecutiveFailures: 0 });
  }

  all(): readonly Subscription[] {
    return this.#entries.map((e) => e.subscription);
  }

  get(id: string): { subscription: Subscription; extra: Entry['extra'] } | undefined {
    return this.#entries.find((e) => e.subscription.id === id);
  }

  /** Removes a subscription; `emit` no longer delivers to it. */
  remove(id: string): Subscription | undefined {
    const i = this.#entries.findIndex((e) => e.subscription.id === id);
    if (i < 0) return undefined;
    return this.#entries.splice(i, 1)[0]!.subscription;
  }

  /** Records how a delivery to `id` ended; disables the subscription after too many failures in a row. */
  recordDelivery(id: string, delivered: boolean): void {
    const entry = this.#entries.find((e) => e.subscription.id === id);
    if (entry === undefined) return;
    if (delivered) {
      entry.consecutiveFailures = 0;
      return;
    }
    entry.consecutiveFailures++;
    const limit = this.disableAfterFailures;
    if (limit !== undefined && entry.consecutiveFailures >= limit && entry.subscription.enabled) {
      entry.subscription = Object.freeze({ ...entry.subscription, enabled: false });
    }
  }
}
