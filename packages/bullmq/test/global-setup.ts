import type { TestProject } from 'vitest/node';
import { findRedisServer, ping, startRedisServer, type RedisServer } from './support/redis-server.js';

// Gives the queue tests a real server: HOOKPROOF_REDIS_URL when set (.ci/run exports
// it), else a redis-server from PATH started here and stopped at the end. Without
// either, the queue tests are skipped with the printed reason, except under CI, where
// that is a failure: a green CI run must have exercised a real Redis.
export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const bin = findRedisServer();
  const fromEnv = process.env.HOOKPROOF_REDIS_URL;
  const ci = Boolean(process.env.CI);
  let server: RedisServer | undefined;
  let url: string | null = null;
  let reason = '';

  if (fromEnv !== undefined && fromEnv !== '') {
    const parsed = new URL(fromEnv);
    if (await ping(Number(parsed.port || 6379), parsed.hostname)) url = fromEnv;
    else reason = `HOOKPROOF_REDIS_URL=${fromEnv} does not answer PING`;
  } else if (bin !== null) {
    server = await startRedisServer(bin);
    url = server.url;
  } else {
    reason = 'HOOKPROOF_REDIS_URL is not set and redis-server is not on PATH';
  }
  if (bin === null && url !== null) reason = 'redis-server is not on PATH (needed by the tests that stop and restart their own Redis)';

  if (reason !== '') {
    const message = `@hookproof/bullmq tests: ${reason}. Install Redis (apt-get install redis-server, brew install redis) or set HOOKPROOF_REDIS_URL.`;
    if (ci) throw new Error(`${message} CI must run them.`);
    console.warn(`\n${message} Skipping the tests that need it.\n`);
  }
  project.provide('redisUrl', url);
  project.provide('redisServerBin', bin);
  return server === undefined ? undefined : () => server.stop();
}
