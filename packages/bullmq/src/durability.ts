/**
 * What Redis says about keeping a job it acknowledged. BullMQ's write is confirmed once it
 * is in Redis's memory; whether it survives a Redis restart depends on persistence, and
 * whether it survives memory pressure on the eviction policy (docs/durable.md).
 */
export interface DurabilityReport {
  /** Whether every write is also appended to the AOF (`appendonly yes`). Undefined when INFO did not say. */
  readonly appendonly: boolean | undefined;
  /** `maxmemory-policy`; anything but `noeviction` may delete queued jobs under memory pressure. */
  readonly maxmemoryPolicy: string | undefined;
  /** Each way an acknowledged delivery could be lost; empty when none was found. */
  readonly problems: readonly string[];
}

function field(info: string, name: string): string | undefined {
  const match = new RegExp(`^${name}:(.*)$`, 'm').exec(info);
  return match?.[1]?.trim();
}

/**
 * Reads Redis's `INFO` (every section; `INFO` works on managed Redis where `CONFIG` is
 * disabled): `aof_enabled` and `maxmemory_policy`.
 */
export function durabilityOf(info: string): DurabilityReport {
  const aof = field(info, 'aof_enabled');
  const policy = field(info, 'maxmemory_policy');
  const appendonly = aof === undefined ? undefined : aof === '1';
  const problems: string[] = [];
  if (appendonly === false) {
    problems.push(
      'Redis has appendonly off: a Redis restart loses every job written since the last snapshot (set appendonly yes; appendfsync everysec loses at most about a second).',
    );
  } else if (appendonly === undefined) {
    problems.push(
      'Redis did not report aof_enabled in INFO: cannot tell whether queued jobs survive a restart (set appendonly yes).',
    );
  }
  if (policy !== undefined && policy !== 'noeviction') {
    problems.push(
      `Redis has maxmemory-policy ${policy}: under memory pressure it may evict queued jobs (set maxmemory-policy noeviction).`,
    );
  }
  return { appendonly, maxmemoryPolicy: policy, problems };
}
