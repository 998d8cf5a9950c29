import type { VendorId } from '@hookproof/core';

/** How a delivery reached the listener. */
export type DeliverySource = 'network' | 'replay' | 'replay-resigned' | 'edited';

export interface Forwarded {
  readonly url: string;
  /** The app's status; undefined when it could not be reached. */
  readonly status?: number;
  readonly body?: string;
  readonly contentType?: string;
  readonly ms: number;
  readonly error?: string;
}

export interface Drift {
  /** The event type is not one the vendor documents. */
  readonly unknownType: boolean;
  /** Payload fields the vendor's documented payload for this type does not have (dotted paths). */
  readonly fields: readonly string[];
}

/**
 * One delivery as the listener saw it: the request exactly as received (headers in order,
 * body bytes) and what it answered. The same JSON is what `--save` writes, what the page
 * shows and what `hookproof replay` reads.
 */
export interface Delivery {
  readonly format: 'hookproof-delivery/1';
  readonly seq: number;
  readonly at: string;
  readonly vendor: VendorId;
  readonly method: string;
  readonly path: string;
  /** As received, in order, names as sent. */
  readonly headers: readonly (readonly [string, string])[];
  readonly bodyBase64: string;
  readonly source: DeliverySource;
  readonly replayOf?: number;
  /** The listener's answer: status and body (the app's, when forwarded). */
  readonly status: number;
  readonly answer: string;
  readonly verdict: 'verified' | 'duplicate' | 'rejected';
  readonly code?: string;
  readonly message?: string;
  /** For a refusal: diagnose()'s most likely cause and its one-sentence fix. */
  readonly cause?: string;
  readonly summary?: string;
  readonly type?: string;
  readonly eventId?: string;
  readonly idSource?: string;
  readonly documented?: boolean;
  /** Time to verify (and forward) in ms. */
  readonly ms: number;
  readonly forwarded?: Forwarded;
  readonly drift?: Drift;
}

/** The deliveries of one run, newest last, bounded so a long session cannot grow without limit. */
export class DeliveryStore {
  readonly #items: Delivery[] = [];
  readonly #listeners = new Set<(d: Delivery) => void>();
  #seq = 0;
  #bytes = 0;

  /** At most `limit` deliveries and `maxBytes` of stored bodies (a body may be 1 MiB): the oldest go first. */
  constructor(
    readonly limit = 1000,
    readonly maxBytes = 64 * 1024 * 1024,
  ) {}

  nextSeq(): number {
    return ++this.#seq;
  }

  add(d: Delivery): void {
    this.#items.push(d);
    this.#bytes += d.bodyBase64.length;
    while (this.#items.length > 1 && (this.#items.length > this.limit || this.#bytes > this.maxBytes))
      this.#bytes -= this.#items.shift()!.bodyBase64.length;
    for (const l of this.#listeners) l(d);
  }

  get(seq: number): Delivery | undefined {
    return this.#items.find((d) => d.seq === seq);
  }

  all(): readonly Delivery[] {
    return this.#items;
  }

  subscribe(listener: (d: Delivery) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}

export function headerOf(d: Pick<Delivery, 'headers'>, name: string): string | undefined {
  const lower = name.toLowerCase();
  return d.headers.find(([k]) => k.toLowerCase() === lower)?.[1];
}

/** Pairs from node's rawHeaders ([k, v, k, v, …]). */
export function pairs(raw: readonly string[]): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) out.push([raw[i]!, raw[i + 1]!]);
  return out;
}

/** A headers object for core (repeated names joined as node does for most headers). */
export function headerRecord(list: readonly (readonly [string, string])[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of list) {
    const key = k.toLowerCase();
    out[key] = out[key] === undefined ? v : `${out[key]}, ${v}`;
  }
  return out;
}
