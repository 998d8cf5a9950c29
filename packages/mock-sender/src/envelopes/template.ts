import type { VendorProfile } from '@hookproof/core';
import type { Random } from '../random.js';
import type { JsonObject } from '../merge.js';

export interface TemplateContext {
  /** The event name, documented or not. */
  readonly type: string;
  /** The sender's clock when the event is made (ms). */
  readonly nowMs: number;
  readonly random: Random;
  readonly profile: VendorProfile;
}

/**
 * How one vendor's envelope is made. Only fields the vendor's texts show are
 * generated; each template says where every field comes from (README "What is generated").
 */
export interface EnvelopeTemplate {
  build(ctx: TemplateContext): JsonObject;
}

/** Data builders for every documented event of a vendor: a missing event is a compile error. */
export type DataBuilders<Events> = {
  readonly [T in keyof Events]: (ctx: TemplateContext) => Events[T] extends { readonly data?: infer D } ? D : never;
};

export function dataFor(builders: object, ctx: TemplateContext): unknown {
  const make = (builders as Readonly<Record<string, ((c: TemplateContext) => unknown) | undefined>>)[ctx.type];
  // Undocumented types (sent through `sender.undocumented()`) get no invented data.
  return make === undefined ? {} : make(ctx);
}
