import { vendors } from '@hookproof/core';
import { createMockSender } from '../sender.js';
import type { DeliverOptions, Fault } from '../types.js';
import { EXIT, flag, print, str, strs, type Command } from './command.js';
import { attemptLine, jsonable, outcome } from './format.js';
import { headersArg, numberArg, secretsArg, setArgs, UsageError, vendorArg } from './io.js';

function faultArg(value: string | undefined): Fault | undefined {
  if (value === undefined) return undefined;
  const simple = ['tamper-body', 'wrong-secret', 'no-signature', 'stale-timestamp', 'bad-encoding'];
  if (simple.includes(value)) return value as Fault;
  const m = /^(duplicate|concurrent|delay|delayMs)=(\d+)$/.exec(value);
  if (m !== null) {
    const n = Number(m[2]);
    if (m[1] === 'duplicate') return { duplicate: n };
    if (m[1] === 'concurrent') return { concurrent: n };
    return { delayMs: n };
  }
  throw new UsageError(`unknown --fault ${JSON.stringify(value)}: use ${simple.join(', ')}, duplicate=N, concurrent=N or delay=MS`);
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
  help: `Usage: hookproof send <vendor> <event> --url <url> [options]

Sends a spec-accurate, signed <event> of <vendor> to --url.

Options:
  --url <url>            where to send (required)
  --secret <secret>      signing secret (default: $HOOKPROOF_SECRET; Autoposting may send unsigned)
  --set <path=value>     override a payload field, e.g. --set data.platform=linkedin (repeatable;
                         the value is parsed as JSON when it is JSON)
  --seed <n>             seed for ids and content (same seed, same event)
  --fault <fault>        tamper-body | wrong-secret | no-signature | stale-timestamp | bad-encoding |
                         duplicate=N | concurrent=N | delay=MS
  --retries <r>          vendor (the vendor's schedule) | none | waits in seconds, e.g. 1,5,30
  --clock <c>            virtual (default: retry waits are skipped) | real (really wait)
  --timeout <ms>         per-attempt deadline (default: the vendor's)
  --header <"K: V">      extra delivery header, for vendors that allow them (Audenci)
  --undocumented         allow an event name the vendor does not document
  --json                 print the result as JSON
  -h, --help             show this help

Exit status: 0 delivered (2xx), 1 not delivered, 2 usage error.`,
  options: {
    url: { type: 'string' },
    secret: { type: 'string', multiple: true },
    set: { type: 'string', multiple: true },
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
    const type = positionals[1];
    if (type === undefined) throw new UsageError(`an event is required: ${vendors[vendor].events.join(', ')}`);
    const documented = vendors[vendor].events.includes(type);
    if (!documented && !flag(values, 'undocumented')) {
      throw new UsageError(`${JSON.stringify(type)} is not a documented ${vendors[vendor].name} event (${vendors[vendor].events.join(', ')}); add --undocumented to send it anyway`);
    }
    const url = str(values, 'url');
    if (url === undefined) throw new UsageError('--url is required');
    const clock = str(values, 'clock');
    if (clock !== undefined && clock !== 'virtual' && clock !== 'real') throw new UsageError('--clock is virtual or real');
    const secret = secretsArg(strs(values, 'secret'), io.env)[0];
    const headers = headersArg(strs(values, 'header'));
    const seedText = str(values, 'seed');
    let sender;
    try {
      sender = createMockSender({
        vendor,
        target: url,
        ...(secret === undefined ? {} : { secret }),
        ...(seedText === undefined ? {} : { seed: /^\d+$/.test(seedText) ? Number(seedText) : seedText }),
        ...(Object.keys(headers).length === 0 ? {} : { headers }),
      });
    } catch (error) {
      throw new UsageError((error as Error).message.replace(/^@hookproof\/mock-sender: /, ''));
    }
    const overrides = setArgs(strs(values, 'set'));
    const event = documented ? sender.event(type as never, overrides as never) : sender.undocumented(type, overrides);
    const fault = faultArg(str(values, 'fault'));
    const retries = retriesArg(str(values, 'retries'));
    const timeoutMs = numberArg(str(values, 'timeout'), 'timeout');
    try {
      if (retries === undefined) {
        const result = await sender.send(event, { ...(fault === undefined ? {} : { fault }), ...(timeoutMs === undefined ? {} : { timeoutMs }), ...(clock === undefined ? {} : { clock }) });
        if (flag(values, 'json')) print(io, JSON.stringify(jsonable({ event: { type: event.type, body: event.body, deliveryId: event.deliveryId }, seed: sender.seed, ...result })));
        else {
          print(io, `${style.bold(`${vendors[vendor].name} ${event.type}`)} -> POST ${url}`);
          for (const [i, copy] of result.copies.entries()) {
            const body = copy.response?.body ?? copy.error ?? '';
            print(io, `  ${result.copies.length > 1 ? `#${i + 1} ` : ''}${outcome(copy, style)}  ${style.dim(`${copy.ms.toFixed(1)} ms`)}  ${style.dim(body.slice(0, 200))}`);
          }
          print(io, style.dim(`seed ${sender.seed}`));
        }
        return result.ok ? EXIT.ok : EXIT.failed;
      }
      if (fault !== undefined && typeof fault === 'object' && !('delayMs' in fault)) throw new UsageError('duplicate and concurrent faults are for single sends (drop --retries)');
      const log = await sender.deliver(event, {
        retries,
        ...(fault === undefined ? {} : { fault: fault as NonNullable<DeliverOptions['fault']> }),
        ...(timeoutMs === undefined ? {} : { timeoutMs }),
        ...(clock === undefined ? {} : { clock }),
      });
      if (flag(values, 'json')) print(io, JSON.stringify(jsonable({ seed: sender.seed, state: log.state, reason: log.reason, event: { type: event.type, body: event.body }, attempts: log.attempts })));
      else {
        print(io, `${style.bold(`${vendors[vendor].name} ${event.type}`)} -> POST ${url}  ${style.dim(`(${clock ?? 'virtual'} clock)`)}`);
        for (const a of log.attempts) print(io, attemptLine(a, style));
        print(io, log.state === 'delivered' ? style.green(`delivered after ${log.attempts.length} attempt(s)`) : style.red(`failed (${log.reason}) after ${log.attempts.length} attempt(s)`));
      }
      return log.state === 'delivered' ? EXIT.ok : EXIT.failed;
    } finally {
      await sender.close();
    }
  },
};
