import { afterEach, describe, expect, it } from 'vitest';
import { handleWebhook } from '@hookproof/core';
import { createMockSender } from '@hookproof/mock-sender';
import { runMain } from '../../mock-sender/test/cli-run.js';
import { redisUrl } from './support/provided.js';
import { SECRET, answer, rig, until, type Rig } from './support/rig.js';

// `hookproof replay --queue NAME --redis URL`: list the dead letters, replay one, replay all.

const rigs: Rig[] = [];
afterEach(async () => {
  for (const r of rigs.splice(0)) await r.close();
}, 20_000);

describe.skipIf(redisUrl === null)('hookproof replay --queue', () => {
  it('lists each dead letter with why it failed, replays one by job id, then --all; the fixed handler runs once each', async () => {
    let fixed = false;
    const r = await rig(redisUrl!, () => {
      if (!fixed) throw new Error('schema mismatch in CRM');
    });
    rigs.push(r);
    const web = r.instance({ attempts: 1 });
    const sender = createMockSender({ vendor: 'aidelly', secret: SECRET, target: (request: Request) => handleWebhook(request, web.receiver) });
    const ids: string[] = [];
    for (const type of ['post.created', 'post.failed'] as const) {
      const sent = answer(await sender.send(sender.event(type)));
      expect(sent.status).toBe(202);
      ids.push((sent.body as { id: string }).id);
    }
    r.worker(web);
    await until(async () => (await r.counts()).failed === 2, 'two dead letters');
    const base = ['replay', '--queue', r.name, '--redis', r.url, '--prefix', r.prefix];

    const listed = await runMain([...base, '--json']);
    expect(listed.code, listed.stderr).toBe(0);
    const rows = listed.stdout.trim().split('\n').map((line) => JSON.parse(line) as { jobId: string; eventId: string; reason: string; attempts: number; log: string[] });
    expect(rows.map((row) => row.eventId).sort()).toEqual([...ids].sort());
    for (const row of rows) {
      expect(row.reason).toBe('schema mismatch in CRM');
      expect(row.attempts).toBe(1);
      expect(row.log[0]).toMatch(/attempt 1 of 1 failed: Error: schema mismatch in CRM$/);
    }
    const human = await runMain([...base, '--list'], { env: { NO_COLOR: '1' } });
    expect(human.stdout).toContain('2 dead letter(s) in');
    expect(human.stdout).toContain('schema mismatch in CRM');

    fixed = true;
    const one = await runMain([...base, rows[0]!.jobId], { env: { NO_COLOR: '1' } });
    expect([one.code, one.stdout.trim()]).toEqual([0, `replayed  ${rows[0]!.jobId}`]);
    await until(() => r.runs.length === 1, 'the first replay');
    const missing = await runMain([...base, 'aidelly/nope'], { env: { NO_COLOR: '1' } });
    expect(missing.code).toBe(1);
    expect(missing.stdout).toContain('not found  aidelly/nope');
    const all = await runMain([...base, '--all', '--json']);
    expect([all.code, JSON.parse(all.stdout) as unknown]).toEqual([0, { replayed: 1 }]);
    await until(() => r.runs.length === 2, 'the second replay');
    expect([...r.runs].sort()).toEqual([...ids].sort());
    const empty = await runMain(base, { env: { NO_COLOR: '1' } });
    expect(empty.stdout).toContain('no dead letters in');
    await sender.close();
  });

  it('usage errors: --all with ids, --to with --queue, --redis without --queue, a bad URL', async () => {
    expect((await runMain(['replay', '--queue', 'q', '--all', 'x'])).code).toBe(2);
    expect((await runMain(['replay', '--queue', 'q', '--to', 'http://127.0.0.1:1/'])).stderr).toContain('--to is for saved files');
    expect((await runMain(['replay', 'dir', '--redis', 'redis://x'])).stderr).toContain('--redis goes with --queue <name>');
    expect((await runMain(['replay', '--queue', 'q', '--redis', 'http://x'])).stderr).toContain('--redis: a Redis URL starts with redis:// or rediss://');
    expect((await runMain(['replay', '--queue', 'a:b', '--redis', 'redis://127.0.0.1:1'])).stderr).toContain("--queue: `name` must be a non-empty queue name without ':'");
  });
});
