// `hookproof replay --queue NAME --redis URL`: the dead letters of a @hookproof/bullmq queue.
// @hookproof/bullmq is an optional peer, loaded only here, so the CLI works without it.
import { EXIT, flag, print, str, type Values } from './command.js';
import { CliFailure, UsageError, type Io } from './io.js';
import { inert, jsonLine } from './safe.js';
import type { Style } from './style.js';

type Bullmq = typeof import('@hookproof/bullmq');

async function loadBullmq(): Promise<Bullmq> {
  try {
    return await import('@hookproof/bullmq');
  } catch {
    throw new CliFailure('--queue needs @hookproof/bullmq (and bullmq): npm install @hookproof/bullmq bullmq');
  }
}

/** Lists (`--list`, the default without ids), replays ids, or replays every dead letter (`--all`). */
export async function replayQueue(values: Values, ids: readonly string[], io: Io, style: Style): Promise<number> {
  const name = str(values, 'queue')!;
  const url = str(values, 'redis') ?? io.env['HOOKPROOF_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
  const all = flag(values, 'all');
  const list = flag(values, 'list') || (!all && ids.length === 0);
  if (all && ids.length > 0) throw new UsageError('use --all or job ids, not both');
  if (flag(values, 'list') && (all || ids.length > 0))
    throw new UsageError('--list only lists: drop --all and the job ids to list, or drop --list to replay');
  for (const option of ['to', 'secret', 'as-captured', 'resign'] as const) {
    if (values[option] !== undefined)
      throw new UsageError(`--${option} is for saved files; --queue replays through the queue's workers`);
  }
  const { connectionFromUrl, deadLetters } = await loadBullmq();
  let connection;
  try {
    connection = {
      ...connectionFromUrl(url),
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 3000,
    };
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/^@hookproof\/bullmq: /, '--redis: '));
  }
  const prefix = str(values, 'prefix');
  const json = flag(values, 'json');
  let dead;
  try {
    dead = deadLetters({ connection, name, ...(prefix === undefined ? {} : { prefix }) });
  } catch (error) {
    throw new UsageError(
      (error as Error).message.replace(/^@hookproof\/bullmq: deadLetters\(options\): /, '--queue: '),
    );
  }
  try {
    if (list) {
      const letters = await dead.list({ limit: 1000 });
      for (const letter of letters) {
        if (json) {
          print(
            io,
            jsonLine({
              jobId: letter.jobId,
              vendor: letter.vendor,
              eventId: letter.eventId,
              type: letter.type,
              attempts: letter.attempts,
              reason: letter.reason,
              failedAt: letter.failedAt,
              log: letter.log,
            }),
          );
          continue;
        }
        const when = letter.failedAt === undefined ? '' : ` ${new Date(letter.failedAt).toISOString()}`;
        print(
          io,
          `${style.red('dead')}  ${inert(letter.jobId)}  ${inert(letter.type)} ${style.dim(`${letter.attempts} attempt(s)${when}`)}`,
        );
        print(io, `      ${inert(letter.reason)}`);
        for (const line of letter.log) print(io, style.dim(`      ${inert(line)}`));
      }
      if (!json)
        print(
          io,
          letters.length === 0
            ? style.green(`no dead letters in ${inert(name)}`)
            : `${letters.length} dead letter(s) in ${inert(name)}; replay with --all or a job id`,
        );
      return EXIT.ok;
    }
    if (all) {
      const n = await dead.replayAll();
      if (json) print(io, jsonLine({ replayed: n }));
      else print(io, style.green(`${n} dead letter(s) put back in ${inert(name)}: the workers process them`));
      return EXIT.ok;
    }
    let missing = 0;
    for (const id of ids) {
      const ok = await dead.replay(id);
      if (!ok) missing++;
      if (json) print(io, jsonLine({ jobId: id, replayed: ok }));
      else
        print(
          io,
          ok
            ? `${style.green('replayed')}  ${inert(id)}`
            : `${style.red('not found')}  ${inert(id)} ${style.dim('(no failed job with this id; list them with --list)')}`,
        );
    }
    return missing === 0 ? EXIT.ok : EXIT.failed;
  } catch (error) {
    if (error instanceof UsageError || error instanceof CliFailure) throw error;
    throw new CliFailure(
      `could not reach the queue ${inert(name)} at ${inert(url)}: ${inert((error as Error).message)}`,
    );
  } finally {
    await dead.close().catch(() => undefined);
  }
}
