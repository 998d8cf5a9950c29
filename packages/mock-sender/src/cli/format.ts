import type { AttemptResult, DeliveryAttempt } from '../types.js';
import { inert } from './safe.js';
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

/** The error code a receiver answered with (`{"error":"signature_mismatch",…}`, as hookproof receivers do), if any. */
export function errorCodeOf(result: AttemptResult): string | undefined {
  if (result.ok || result.response === undefined) return undefined;
  try {
    const body: unknown = JSON.parse(result.response.body);
    const code = typeof body === 'object' && body !== null ? (body as { error?: unknown }).error : undefined;
    return typeof code === 'string' ? code : undefined;
  } catch {
    return undefined;
  }
}

export function attemptLine(a: DeliveryAttempt, style: Style): string {
  const code = errorCodeOf(a);
  const detail = a.error ?? code;
  return `  #${a.n}  at +${duration(a.atMs).padEnd(12)} ${outcome(a, style)}${detail === undefined ? '' : `  ${style.red(inert(detail))}`}  ${style.dim(`(${a.ms.toFixed(1)} ms)`)}`;
}

/** A result as JSON: bytes as text so it stays readable and parseable. */
export function jsonable(value: unknown): unknown {
  return JSON.parse(
    JSON.stringify(value, (_key, v: unknown) => (v instanceof Uint8Array ? Buffer.from(v).toString('utf8') : v)),
  );
}
