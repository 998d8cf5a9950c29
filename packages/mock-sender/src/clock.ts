/**
 * The sender's clock, in ms since the epoch. It does not tick by itself: it starts at
 * `startAt` (default: the real time when the sender was created) and moves only by
 * what the sender does: each attempt's measured duration, each retry delay (skipped
 * with `clock: 'virtual'`, waited for with `clock: 'real'`) and `delayMs` faults.
 * A receiver given `now: sender.now` therefore sees exactly the times the sender
 * signed with, and a seed plus `startAt` reproduces every byte of an event.
 */
export interface SenderClock {
  now(): number;
  advance(ms: number): void;
}

export function createClock(startAt: number | Date | undefined): SenderClock {
  let t = startAt === undefined ? Date.now() : startAt instanceof Date ? startAt.getTime() : startAt;
  if (!Number.isFinite(t)) {
    throw new TypeError(
      `@hookproof/mock-sender: \`startAt\` must be a Date or ms since the epoch, got ${String(startAt)}.`,
    );
  }
  return {
    now: () => t,
    advance: (ms) => {
      if (ms > 0) t += ms;
    },
  };
}

/** Seconds-precision ISO-8601, as every vendor example shows (`2026-02-18T17:30:02Z`). */
export function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
