import type { AttemptResult, DeliveryAttempt } from '../types.js';
import type { Style } from './style.js';

export function duration(ms: number): string {
  if (ms === 0) return '0 s';
  if (ms < 1000) return `${ms.toFixed(1)} ms`;
  const s = ms / 1000;
  if (s < 120) return `${Number(s.toFixed(3))} s`;
  if (s < 7200) return `${Number((s / 60).toFixed(2))} min`;
  return `${Number((s / 3600).toFixed(2))} h`;
}

export function outcome(result: AttemptResult, style: Style): string {
  const status = result.status === undefined ? '---' : String(result.status);
  const text = `${status} ${result.outcome}`;
  return result.ok ? style.green(text) : style.red(text);
}

export function attemptLine(a: DeliveryAttempt, style: Style): string {
  return `  #${a.n}  at +${duration(a.atMs).padEnd(12)} ${outcome(a, style)}  ${style.dim(`(${a.ms.toFixed(1)} ms)`)}${a.error === undefined ? '' : style.dim(`  ${a.error}`)}`;
}

/** A result as JSON: bytes as text so it stays readable and parseable. */
export function jsonable(value: unknown): unknown {
  return JSON.parse(
    JSON.stringify(value, (_key, v: unknown) => (v instanceof Uint8Array ? Buffer.from(v).toString('utf8') : v)),
  );
}
