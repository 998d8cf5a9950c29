import { vendors } from '@hookproof/core';
import { createMockSender } from '../sender.js';
import type { DeliverOptions, Fault, MockEvent } from '../types.js';
import { EXIT, flag, print, str, strs, type Command } from './command.js';
import { attemptLine, errorCodeOf, jsonable, outcome } from './format.js';
import {
  bodyArg,
  checkSetPaths,
  headersArg,
  numberArg,
  secretsArg,
  seedArg,
  setArgs,
  UsageError,
  vendorArg,
} from './io.js';
import { inert, jsonLine } from './safe.js';
import { didYouMean } from './suggest.js';

const SIMPLE_FAULTS = ['tamper-body', 'wrong-secret', 'no-signature', 'stale-timestamp', 'bad-encoding'];

function faultArg(value: string | undefined): Fault | undefined {
  if (value === undefined) return undefined;
  if (SIMPLE_FAULTS.includes(value)) return value as Fault;
  const m = /^(duplicate|concurrent|delay|delayMs)=(\d+)$/.exec(value);
  if (m !== null) {
    const n = Number(m[2]);
    if (m[1] === 'duplicate') return { duplicate: n };
    if (m[1] === 'concurrent') return { concurrent: n };
    return { delayMs: n };
  }
  throw new UsageError(
    `unknown --fault ${JSON.stringify(value)}: use ${SIMPLE_FAULTS.join(', ')}, duplicate=N, concurrent=N or delay=MS.${didYouMean(value, SIMPLE_FAULTS)}`,
  );
}

function retriesArg(value: string | undefined): DeliverOptions['retries'] | undefined {
  if (value === undefined) return undefined;
  if (value === 'vendor' || value === 'none') return value;
  const list = value.split(',').map((s) => Number(s.trim()));
  if (list.length === 0 || list.some((n) => !Number.isFinite(n) || n < 0)) {
    throw new UsageError(`--retries takes vendor, none, or waits in seconds like 1,5,30; got ${JSON.stringify(value)}`);
  }
  return list;
}

export const send: Command = {
  name: 'send',
  summary: 'send one signed event to a URL (optionally with the retry schedule or a fault)',
  help: `Usage: HOOKPROOF_SECRET=… hookproof send <vendor> <event> --url <url> [options]
       HOOKPROOF_SECRET=… hookproof send <vendor> --file body.json --url <url> [options]

Sends a spec-accurate, signed <event> of <vendor> to --url, or the exact bytes of --file,
signed.

Options:
  --url <url>            where to send (required)
  --secret <secret>      signing secret (default: $HOOKPROOF_SECRET, which is better: a
                         --secret value is visible to every user of the machine in \`ps\`;
                         Autoposting may send unsigned)
  --file <path>          send this body, byte for byte, signed (instead of a generated event)
  --set <path=value>     change a payload field, e.g. --set data.platform=linkedin (repeatable;
                         the value is parsed as JSON when it is JSON; the field must exist)
  --add <path=value>     add a field the payload does not have (repeatable)
  --seed <n>             seed for ids and content, an integer (same seed, same event)
  --fault <fault>        tamper-body | wrong-secret | no-signature | stale-timestamp | bad-encoding |
                         duplicate=N | concurrent=N | delay=MS
  --retries <r>          vendor (the vendor's schedule) | none | waits in seconds, e.g. 1,5,30
  --clock <c>            virtual (default: retry waits are skipped) | real (really wait; a line
                         is printed per attempt as it happens)
  --timeout <ms>         per-attempt deadline (default: the vendor's)
  --header <"K: V">      extra delivery header, for vendors that allow them (Audenci)
  --undocumented         allow an event name the vendor does not document
  --json                 print the result as JSON
  -h, --help             show this help

Everything the target answers is printed with control characters escaped.
Exit status: 0 delivered (2xx), 1 not delivered, 2 usage error.`,
  options: {
    url: { type: 'string' },
    secret: { type: 'string', multiple: true },
    file: { type: 'string' },
    set: { type: 'string', multiple: true },
    add: { type: 'string', multiple: true },
    seed: { type: 'string' },
    fault: { type: 'string' },
    retries: { type: 'string' },
    clock: { type: 'string' },
    timeout: { type: 'string' },
    header: { type: 'string', multiple: true },
    undocumented: { type: 'boolean' },
    json: { type: 'boolean' },
  },
  async run(values, positionals, io, style) {
    const vendor = vendorArg(positionals[0]);
    const profile = vendors[vendor];
    const file = str(values, 'file');
    const type = positionals[1];
    const sets = strs(values, 'set');
    const adds = strs(values, 'add');
    if (file === undefined && type === undefined)
      throw new UsageError(`an event is required: ${profile.events.join(', ')} (or --file body.json)`);
    if (file !== undefined && (sets.length > 0 || adds.length > 0))
      throw new UsageError('--set and --add change a generated event; edit the --file instead');
    const documented = type !== undefined && profile.events.includes(type);
    if (file === undefined && !documented && !flag(values, 'undocumented')) {
      throw new UsageError(
        `${inert(JSON.stringify(type))} is not a documented ${profile.name} event.${didYouMean(type!, profile.events)} Documented: ${profile.events.join(', ')}; add --undocumented to send it anyway.`,
      );
    }
    const url = str(values, 'url');
    if (url === undefined) throw new UsageError('--url is required');
    const clock = str(values, 'clock');
    if (clock !== undefined && clock !== 'virtual' && clock !== 'real')
      throw new UsageError('--clock is virtual or real');
    const secret = secretsArg(strs(values, 'secret'), io.env)[0];
    if (secret === undefined && profile.unsigned !== 'opt-in') {
      throw new UsageError(
        `${profile.name} signs every delivery: set $HOOKPROOF_SECRET (or pass --secret) to the secret your receiver verifies with`,
      );
    }
    const headers = headersArg(strs(values, 'header'));
    if (Object.keys(headers).length > 0 && !profile.customHeaders)
      throw new UsageError(`--header: ${profile.name} does not let users add delivery headers (Audenci does)`);
    const seed = seedArg(str(values, 'seed'));
    let sender;
    try {
      sender = createMockSender({
        vendor,
        target: url,
        ...(secret === undefined ? {} : { secret }),
        ...(seed === undefined ? {} : { seed }),
        ...(Object.keys(headers).length === 0 ? {} : { headers }),
      });
    } catch (error) {
      throw new UsageError((error as Error).message.replace(/^@hookproof\/mock-sender: /, ''));
    }
    let event: MockEvent;
    if (file !== undefined) {
      const bytes = await bodyArg({ file }, io);
      event = type === undefined ? sender.raw(bytes) : sender.raw(bytes, { type });
    } else {
      if (documented && sets.length > 0) {
        // The template from a sender of its own: the same seed still gives the same event.
        const template = createMockSender({ vendor, secret: 'template', seed: 0 }).event(type as never).payload;
        checkSetPaths(sets, template, `${profile.name} ${type}`);
      }
      const merged = mergeDeep(setArgs(adds, 'add'), setArgs(sets));
      event = documented ? sender.event(type as never, merged as never) : sender.undocumented(type!, merged);
    }
    const fault = faultArg(str(values, 'fault'));
    const retries = retriesArg(str(values, 'retries'));
    const timeoutMs = numberArg(str(values, 'timeout'), 'timeout');
    const json = flag(values, 'json');
    const label = `${profile.name} ${inert(event.type === '' ? '(raw body)' : event.type)}`;
    try {
      if (retries === undefined) {
        const result = await sender.send(event, {
          ...(fault === undefined ? {} : { fault }),
          ...(timeoutMs === undefined ? {} : { timeoutMs }),
          ...(clock === undefined ? {} : { clock }),
        });
        if (json)
          print(
            io,
            jsonLine(
              jsonable({
                event: { type: event.type, body: event.body, deliveryId: event.deliveryId },
                seed: sender.seed,
                ...result,
              }),
            ),
          );
        else {
          print(io, `${style.bold(label)} -> POST ${inert(url)}`);
          for (const [i, copy] of result.copies.entries()) {
            const body = copy.response?.body ?? copy.error ?? '';
            const code = errorCodeOf(copy);
            print(
              io,
              `  ${result.copies.length > 1 ? `#${i + 1} ` : ''}${outcome(copy, style)}${code === undefined ? '' : ` ${style.red(inert(code))}`}  ${style.dim(`${copy.ms.toFixed(1)} ms`)}  ${style.dim(inert(body.slice(0, 200)))}`,
            );
          }
          print(io, style.dim(`seed ${sender.seed}`));
        }
        return result.ok ? EXIT.ok : EXIT.failed;
      }
      if (fault !== undefined && typeof fault === 'object' && !('delayMs' in fault))
        throw new UsageError('duplicate and concurrent faults are for single sends (drop --retries)');
      if (!json) print(io, `${style.bold(label)} -> POST ${inert(url)}  ${style.dim(`(${clock ?? 'virtual'} clock)`)}`);
      const log = await sender.deliver(event, {
        retries,
        ...(fault === undefined ? {} : { fault: fault as NonNullable<DeliverOptions['fault']> }),
        ...(timeoutMs === undefined ? {} : { timeoutMs }),
        ...(clock === undefined ? {} : { clock }),
        // Each attempt as it happens: on the real clock a schedule can take hours.
        ...(json ? {} : { onAttempt: (a) => print(io, attemptLine(a, style)) }),
      });
      if (json)
        print(
          io,
          jsonLine(
            jsonable({
              seed: sender.seed,
              state: log.state,
              reason: log.reason,
              event: { type: event.type, body: event.body },
              attempts: log.attempts.map((a) => ({ ...a, code: errorCodeOf(a) })),
            }),
          ),
        );
      else
        print(
          io,
          log.state === 'delivered'
            ? style.green(`delivered after ${log.attempts.length} attempt(s)`)
            : style.red(`failed (${log.reason}) after ${log.attempts.length} attempt(s)`),
        );
      return log.state === 'delivered' ? EXIT.ok : EXIT.failed;
    } finally {
      await sender.close();
    }
  },
};

function mergeDeep(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const prev = out[k];
    out[k] =
      typeof prev === 'object' &&
      prev !== null &&
      !Array.isArray(prev) &&
      typeof v === 'object' &&
      v !== null &&
      !Array.isArray(v)
        ? mergeDeep(prev as Record<string, unknown>, v as Record<string, unknown>)
        : v;
  }
  return out;
}
