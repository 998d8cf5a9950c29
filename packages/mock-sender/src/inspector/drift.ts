import { vendors, type VendorId } from '@hookproof/core';
import { createMockSender } from '../sender.js';
import type { Drift } from './record.js';

/** Dotted paths of every field in a payload (array items as `[]`). */
export function fieldPaths(value: unknown, prefix = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((v) => fieldPaths(v, `${prefix}[]`));
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => {
    const path = prefix === '' ? k : `${prefix}.${k}`;
    return [path, ...fieldPaths(v, path)];
  });
}

/** Paths of empty objects in a template: their content is not documented, so any field is allowed there. */
function openPaths(value: unknown, prefix = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((v) => openPaths(v, `${prefix}[]`));
  if (typeof value !== 'object' || value === null) return [];
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return [prefix];
  return entries.flatMap(([k, v]) => openPaths(v, prefix === '' ? k : `${prefix}.${k}`));
}

const templates = new Map<string, { known: Set<string>; open: string[] }>();

/** The documented payload of `type`, from the mock sender's templates (built from the vendor's pages). */
function templateOf(vendor: VendorId, type: string): { known: Set<string>; open: string[] } | undefined {
  if (!vendors[vendor].events.includes(type)) return undefined;
  const key = `${vendor}\u0000${type}`;
  let t = templates.get(key);
  if (t === undefined) {
    const payload = createMockSender({ vendor, secret: 'template', seed: 0 }).event(type as never).payload;
    t = { known: new Set(fieldPaths(payload)), open: openPaths(payload) };
    templates.set(key, t);
  }
  return t;
}

/**
 * Drift against what the vendor documents: an event type it does not list, and fields its
 * documented payload for that type does not have. Fields are only checked for documented types.
 */
export function driftOf(vendor: VendorId, type: string | undefined, payload: unknown): Drift {
  if (type === undefined) return { unknownType: false, fields: [] };
  const template = templateOf(vendor, type);
  if (template === undefined) return { unknownType: true, fields: [] };
  const fields = fieldPaths(payload).filter((p) => {
    if (template.known.has(p)) return false;
    return !template.open.some((o) => p.startsWith(`${o}.`) || p.startsWith(`${o}[]`));
  });
  // Report the top of a new subtree only: `data.extra` rather than every field under it.
  return {
    unknownType: false,
    fields: fields.filter((p) => !fields.some((q) => q !== p && (p.startsWith(`${q}.`) || p.startsWith(`${q}[]`)))),
  };
}
