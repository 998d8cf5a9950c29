import type { ParseArgsConfig } from 'node:util';
import type { Io } from './io.js';
import type { Style } from './style.js';

export type Values = Readonly<Record<string, string | boolean | (string | boolean)[] | undefined>>;

export interface Command {
  readonly name: string;
  readonly summary: string;
  /** Full `--help` text. */
  readonly help: string;
  readonly options: NonNullable<ParseArgsConfig['options']>;
  run(values: Values, positionals: readonly string[], io: Io, style: Style): Promise<number>;
}

export const str = (v: Values, k: string): string | undefined =>
  typeof v[k] === 'string' ? (v[k] as string) : undefined;
export const strs = (v: Values, k: string): string[] =>
  Array.isArray(v[k]) ? (v[k] as unknown[]).filter((x): x is string => typeof x === 'string') : [];
export const flag = (v: Values, k: string): boolean => v[k] === true;

export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

export function print(io: Io, line = ''): void {
  io.stdout.write(`${line}\n`);
}
