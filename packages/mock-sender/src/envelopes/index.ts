import type { VendorId, VendorProfile } from '@hookproof/core';
import { isoSeconds } from '../clock.js';
import { aidellyTemplate } from './aidelly.js';
import { audenciTemplate } from './audenci.js';
import { autopostingTemplate } from './autoposting.js';
import { timbrixTemplate } from './timbrix.js';
import type { EnvelopeTemplate } from './template.js';

export type { EnvelopeTemplate, TemplateContext } from './template.js';

/**
 * Templates for built-in vendors whose envelope has more than the profile names (data, not
 * branches). A vendor without one (Standard Webhooks: `{ type, timestamp, data }`) gets the
 * generic template, built from its profile's fields alone.
 */
const templates: { readonly [K in VendorId]?: EnvelopeTemplate } = {
  autoposting: autopostingTemplate,
  aidelly: aidellyTemplate,
  audenci: audenciTemplate,
  timbrix: timbrixTemplate,
};

/**
 * For a profile from `defineVendor` with an id of its own: the fields the profile
 * names (type, id, time) and an empty `data`.
 */
const genericTemplate: EnvelopeTemplate = {
  build(ctx) {
    const { profile } = ctx;
    const out: Record<string, unknown> = {};
    if (profile.idField !== undefined) out[profile.idField] = `evt_${ctx.random.ulid(ctx.nowMs)}`;
    out[profile.typeFields[0] ?? 'event'] = ctx.type;
    if (profile.timeField !== undefined) out[profile.timeField] = isoSeconds(ctx.nowMs);
    out['data'] = {};
    return out;
  },
};

export function templateFor(profile: VendorProfile): EnvelopeTemplate {
  return (
    (Object.prototype.hasOwnProperty.call(templates, profile.id) ? templates[profile.id as VendorId] : undefined) ??
    genericTemplate
  );
}
