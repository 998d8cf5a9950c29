import { createHash } from 'node:crypto';

/** A Lua script and its SHA-1, so it runs by `EVALSHA` once Redis has cached it. */
export interface Script {
  readonly name: 'claim' | 'complete' | 'release';
  readonly source: string;
  readonly sha: string;
}

function script(name: Script['name'], source: string): Script {
  return { name, source, sha: createHash('sha1').update(source).digest('hex') };
}

/** The value of a finished key. A claim's value is `CLAIM_PREFIX + token`, never this. */
export const DONE = 'done';
export const CLAIM_PREFIX = 'claim:';

/**
 * KEYS[1] = key, ARGV[1] = this claim's value, ARGV[2] = claim TTL in ms.
 * One script, so reading the state and taking the claim cannot interleave with
 * another instance's claim (Redis runs a script atomically).
 */
export const CLAIM = script(
  'claim',
  `local v = redis.call('GET', KEYS[1])
if not v then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 'new'
end
if v == '${DONE}' then return 'done' end
return 'in_progress'`,
);

/**
 * KEYS[1] = key, ARGV[1] = TTL in ms. Unconditional: whoever finished processing
 * records it, even a holder whose claim expired meanwhile, because the event was
 * processed either way and a later failure of the newer holder must not undo that.
 */
export const COMPLETE = script(
  'complete',
  `redis.call('SET', KEYS[1], '${DONE}', 'PX', ARGV[1])
return 1`,
);

/**
 * KEYS[1] = key, ARGV[1] = the claim value to drop. Compare-and-delete: a holder
 * whose claim expired and was taken by another instance must not free that claim.
 */
export const RELEASE = script(
  'release',
  `if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`,
);
