import { vendors } from '@hookproof/core';
import { endToEnd, postBytes } from '../inspector/forward.js';
import { resign, signsTimestamp } from '../inspector/resign.js';
import { loadDeliveries } from '../inspector/save.js';
import { EXIT, flag, print, str, strs, type Command } from './command.js';
import { duration } from './format.js';
import { CliFailure, secretsArg, UsageError } from './io.js';
import { replayQueue } from './replay-queue.js';
import { inert, jsonLine } from './safe.js';

export const replay: Command = {
  name: 'replay',
  summary: "send deliveries saved by `listen --save` again, or replay a queue's dead letters (--queue)",
  help: `Usage: HOOKPROOF_SECRET=… hookproof replay <file|dir> --to <url> [options]
       hookproof replay --queue <name> [--redis <url>] [--list | --all | <job id>...]

Sends each delivery saved by \`hookproof listen --save <dir>\` (one file, or every file of a
directory in arrival order) to --to: the exact body bytes and headers as captured. For a
vendor that signs a timestamp (Autoposting) the captured signature is past its replay
window after a few minutes, so it is signed again now with the secret; the other
vendors sign the body alone, and their captured signature is sent unchanged.

With --queue, lists the dead letters (failed jobs) of a @hookproof/bullmq queue with why each
attempt failed, or puts them back in the queue (one by job id, or --all) for its workers to
process again. Needs @hookproof/bullmq installed.

Options:
  --to <url>           where to send (required)
  --secret <secret>    signing secret for re-signing (default: $HOOKPROOF_SECRET, which is
                       better: a --secret value is visible to every user in \`ps\`)
  --as-captured        never re-sign: send the captured headers unchanged
  --resign             re-sign every delivery, also for vendors that sign the body alone
  --json               one JSON line per delivery sent (or dead letter)
  --queue <name>       the @hookproof/bullmq queue whose dead letters to list or replay
  --redis <url>        its Redis (default: $HOOKPROOF_REDIS_URL, else redis://127.0.0.1:6379)
  --prefix <prefix>    BullMQ's key prefix, if not the default (bull)
  --list               list the dead letters (the default with --queue and no job id)
  --all                replay every dead letter
  -h, --help           show this help

Exit status: 0 every delivery answered 2xx, 1 otherwise, 2 usage error.`,
  options: {
    to: { type: 'string' },
    secret: { type: 'string', multiple: true },
    'as-captured': { type: 'boolean' },
    resign: { type: 'boolean' },
    json: { type: 'boolean' },
    queue: { type: 'string' },
    redis: { type: 'string' },
    prefix: { type: 'string' },
    list: { type: 'boolean' },
    all: { type: 'boolean' },
  },
  async run(values, positionals, io, style) {
    if (str(values, 'queue') !== undefined) return replayQueue(values, positionals, io, style);
    for (const option of ['redis', 'prefix', 'list', 'all'] as const) {
      if (values[option] !== undefined) throw new UsageError(`--${option} goes with --queue <name>`);
    }
    const source = positionals[0];
    if (source === undefined) throw new UsageError('give a file or directory saved by `hookproof listen --save`');
    if (positionals.length > 1) throw new UsageError(`replay takes one file or directory, got ${positionals.length}`);
    const to = str(values, 'to');
    if (to === undefined) throw new UsageError('--to <url> is required');
    try {
      new URL(to);
    } catch {
      throw new UsageError(`--to takes a URL, got ${inert(JSON.stringify(to))}`);
    }
    const asCaptured = flag(values, 'as-captured');
    if (asCaptured && flag(values, 'resign')) throw new UsageError('use --as-captured or --resign, not both');
    const secret = secretsArg(strs(values, 'secret'), io.env)[0];
    let saved;
    try {
      saved = await loadDeliveries(source);
    } catch (error) {
      throw new CliFailure((error as Error).message);
    }
    if (saved.length === 0) throw new CliFailure(`no saved deliveries (*.json) in ${source}`);
    const json = flag(values, 'json');
    let failed = 0;
    for (const { file, delivery } of saved) {
      const body = new Uint8Array(Buffer.from(delivery.bodyBase64, 'base64'));
      const wantResign = !asCaptured && (flag(values, 'resign') || signsTimestamp(delivery.vendor));
      if (wantResign && secret === undefined) {
        throw new UsageError(
          `${vendors[delivery.vendor].name} signs a timestamp: set $HOOKPROOF_SECRET (or pass --secret) to re-sign ${file}, or add --as-captured to send it unchanged (a receiver will refuse it as stale)`,
        );
      }
      const headers = wantResign
        ? await resign(delivery.vendor, endToEnd(delivery.headers), body, secret!)
        : endToEnd(delivery.headers);
      const result = await postBytes(to, headers, body, vendors[delivery.vendor].timeoutMs);
      const ok = result.status !== undefined && result.status >= 200 && result.status < 300;
      if (!ok) failed++;
      let code: string | undefined;
      try {
        const parsed: unknown = JSON.parse(result.body ?? '');
        const c = typeof parsed === 'object' && parsed !== null ? (parsed as { error?: unknown }).error : undefined;
        code = typeof c === 'string' ? c : undefined;
      } catch {
        code = undefined;
      }
      if (json)
        print(
          io,
          jsonLine({
            file,
            vendor: delivery.vendor,
            type: delivery.type,
            resigned: wantResign,
            status: result.status,
            ok,
            code,
            error: result.error,
            body: result.body,
            ms: result.ms,
          }),
        );
      else {
        const status =
          result.status === undefined
            ? style.red(`no answer (${inert(result.error ?? '')})`)
            : (ok ? style.green : style.red)(`${result.status}${code === undefined ? '' : ` ${inert(code)}`}`);
        print(
          io,
          `${status}  ${inert(delivery.type ?? '(no type)')} ${style.dim(`#${delivery.seq} ${wantResign ? 're-signed now' : 'as captured'}, ${duration(result.ms)}  ${file}`)}`,
        );
      }
    }
    if (!json)
      print(
        io,
        failed === 0
          ? style.green(`${saved.length} delivered`)
          : style.red(`${failed} of ${saved.length} not delivered`),
      );
    return failed === 0 ? EXIT.ok : EXIT.failed;
  },
};
