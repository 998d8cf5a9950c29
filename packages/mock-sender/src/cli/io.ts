import { readFile } from 'node:fs/promises';
import { vendorIds, vendors, type VendorId } from '@hookproof/core';
import { fieldPaths } from '../inspector/drift.js';
import { inert } from './safe.js';
import { didYouMean } from './suggest.js';

/** A command-line mistake: printed with the command's usage, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** A failure that is not a usage mistake (a busy port, an unreadable file): its message alone, exit code 1. */
export class CliFailure extends Error {
  override readonly name = 'CliFailure';
}

export interface Io {
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  readonly env: NodeJS.ProcessEnv;
  /** Stops a long-running command (`listen`) as Ctrl-C would; for running the CLI in-process. */
  readonly signal?: AbortSignal;
}

export function vendorArg(value: string | undefined): VendorId {
  if (value === undefined) throw new UsageError(`a vendor is required: ${vendorIds.join(', ')}`);
  if (!(vendorIds as readonly string[]).includes(value)) {
    throw new UsageError(
      `unknown vendor ${inert(JSON.stringify(value))}: use one of ${vendorIds.join(', ')}.${didYouMean(value, vendorIds)}`,
    );
  }
  return value as VendorId;
}

/** `--secret` (repeatable), else $HOOKPROOF_SECRET, so secrets need not sit in shell history. */
export function secretsArg(values: readonly string[] | undefined, env: NodeJS.ProcessEnv): string[] {
  const list = (values ?? []).filter((s) => s !== '');
  if (list.length > 0) return list;
  const fromEnv = env['HOOKPROOF_SECRET'];
  return fromEnv === undefined || fromEnv === '' ? [] : [fromEnv];
}

export function intArg(value: string | undefined, name: string, min = 0): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min)
    throw new UsageError(`--${name} must be an integer >= ${min}, got ${JSON.stringify(value)}`);
  return n;
}

/** `--seed`: the same integer gives the same events (a word would silently be hashed into another seed). */
export function seedArg(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,10}$/.test(value) || Number(value) > 0xffffffff)
    throw new UsageError(`--seed must be an integer from 0 to 4294967295, got ${inert(JSON.stringify(value))}`);
  return Number(value);
}

export function numberArg(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0)
    throw new UsageError(`--${name} must be a non-negative number, got ${JSON.stringify(value)}`);
  return n;
}

/** `Name: value` lines (repeatable --header), as curl takes them. */
export function headersArg(values: readonly string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of values ?? []) {
    const i = line.indexOf(':');
    if (i <= 0) throw new UsageError(`--header takes "Name: value", got ${JSON.stringify(line)}`);
    out[line.slice(0, i).trim()] = line.slice(i + 1).trim();
  }
  return out;
}

async function readStdin(stdin: Io['stdin']): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return new Uint8Array(Buffer.concat(chunks));
}

/** The body from --body, --file or stdin (bytes exactly as given: nothing is trimmed or re-encoded). */
export async function bodyArg(
  values: { body?: string | undefined; file?: string | undefined },
  io: Io,
): Promise<Uint8Array> {
  if (values.body !== undefined && values.file !== undefined) throw new UsageError('use --body or --file, not both');
  if (values.body !== undefined) return new TextEncoder().encode(values.body);
  if (values.file !== undefined) {
    try {
      return new Uint8Array(await readFile(values.file));
    } catch (error) {
      throw new UsageError(`cannot read --file ${values.file}: ${(error as Error).message}`);
    }
  }
  if (io.stdin.isTTY === true) throw new UsageError('give the body with --body, --file, or on stdin');
  return readStdin(io.stdin);
}

/**
 * `--set` only changes fields the event's payload has, so a typo (`data.platfrom`) is an
 * error rather than a silently added field. An empty object in the template (Autoposting's
 * `data`, whose content its page does not document) is open. `--add` adds new fields.
 */
export function checkSetPaths(sets: readonly string[], template: unknown, label: string): void {
  const known = fieldPaths(template);
  const open = new Set(
    known.filter((p) => {
      let node: unknown = template;
      for (const k of p.split('.'))
        node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[k] : undefined;
      return typeof node === 'object' && node !== null && !Array.isArray(node) && Object.keys(node).length === 0;
    }),
  );
  for (const item of sets) {
    const path = item.slice(0, item.indexOf('='));
    const parts = path.split('.');
    if (known.includes(path) || parts.some((_, i) => open.has(parts.slice(0, i).join('.')))) continue;
    throw new UsageError(
      `--set ${inert(path)}: the ${label} payload has no such field.${didYouMean(path, known)} Use --add ${inert(path)}=… to add a field the vendor does not document.`,
    );
  }
}

/** `--set data.platform=linkedin` (repeatable): a dotted path and a JSON value (else a string). */
export function setArgs(values: readonly string[] | undefined, option = 'set'): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const item of values ?? []) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new UsageError(`--${option} takes path=value, got ${JSON.stringify(item)}`);
    const path = item.slice(0, eq).split('.');
    if (path.some((p) => p === '' || p === '__proto__' || p === 'constructor' || p === 'prototype')) {
      throw new UsageError(`--${option}: bad path ${JSON.stringify(item.slice(0, eq))}`);
    }
    const raw = item.slice(eq + 1);
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      value = raw;
    }
    let node = root;
    for (const key of path.slice(0, -1)) {
      const next = node[key];
      if (typeof next !== 'object' || next === null || Array.isArray(next)) node[key] = {};
      node = node[key] as Record<string, unknown>;
    }
    node[path.at(-1)!] = value;
  }
  return root;
}

export function vendorEvents(vendor: VendorId): readonly string[] {
  return vendors[vendor].events;
}
