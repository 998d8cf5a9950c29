import { vendors, type VendorId } from '@hookproof/core';
import { startListener, type Listener } from '../inspector/listener.js';
import type { Delivery } from '../inspector/record.js';
import { startInspector, type InspectorServer } from '../inspector/ui-server.js';
import { EXIT, flag, print, str, strs, type Command } from './command.js';
import { duration } from './format.js';
import { CliFailure, intArg, numberArg, secretsArg, UsageError, vendorArg, type Io } from './io.js';
import { inert, inertBlock, jsonLine } from './safe.js';
import type { Style } from './style.js';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

function pretty(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

const indent = (s: string) => s.replace(/^/gm, '  ');

function urlArg(value: string | undefined, name: string): string | undefined {
  if (value === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(
      `--${name} takes a URL like http://localhost:3000/webhooks, got ${inert(JSON.stringify(value))}`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new UsageError(`--${name} takes an http(s) URL, got ${inert(JSON.stringify(value))}`);
  return url.href;
}

export const listen: Command = {
  name: 'listen',
  summary: 'run a local verifying receiver that prints (--ui: shows in a page), forwards, saves each delivery',
  help: `Usage: HOOKPROOF_SECRET=… hookproof listen <vendor> [options]

Starts a receiver on 127.0.0.1 that verifies every POST with @hookproof/core (signature,
replay window, dedupe) and pretty-prints the verified event, or the failure and its
likely cause. It answers as a hookproof receiver would (2xx only for verified events),
or, with --forward-to, with your app's answer.

Options:
  --secret <secret>    signing secret; repeat during key rotation (default: $HOOKPROOF_SECRET,
                       which is better: a --secret value is visible to every user in \`ps\`)
  --port <n>           port (default 8787; 0 picks a free port, printed at start)
  --host <addr>        address to listen on (default 127.0.0.1; anything else is reachable
                       from other machines, and is warned about)
  --path <path>        only accept this path (default: every path)
  --tolerance <s>      replay window in seconds (default: the vendor's)
  --allow-unsigned     accept deliveries with no signature (Autoposting only, and only without a
                       secret: a configured secret makes the signature mandatory)
  --forward-to <url>   after verifying, POST the exact bytes and headers to your app and answer
                       the sender with the app's answer (status, body; shown with its latency)
  --save <dir>         write each delivery to <dir> as JSON, for \`hookproof replay\`
  --ui                 serve the inspector page on 127.0.0.1 (a live list of deliveries, detail,
                       replay, diff, drift flags; its URL is printed at start)
  --ui-port <n>        the page's port (default: a free one)
  --once               exit after the first delivery: 0 if it verified, 1 if not
  --json               one JSON line per delivery (the first line says where it listens:
                       { "listening": <receiver URL>, "ui": <page URL>, ... })
  -h, --help           show this help

A request carrying a browser's Origin header is refused (403): vendors send none, and a
web page must not be able to post events to a local receiver. Everything printed that
came from the network (event type, id, payload) has its control characters escaped.

Exit status: 0 ok (stopped by Ctrl-C, or --once with a verified delivery), 1 --once with a
rejected delivery or the port is taken, 2 usage error.`,
  options: {
    secret: { type: 'string', multiple: true },
    port: { type: 'string' },
    host: { type: 'string' },
    path: { type: 'string' },
    tolerance: { type: 'string' },
    'allow-unsigned': { type: 'boolean' },
    'forward-to': { type: 'string' },
    save: { type: 'string' },
    ui: { type: 'boolean' },
    'ui-port': { type: 'string' },
    once: { type: 'boolean' },
    json: { type: 'boolean' },
  },
  async run(values, positionals, io, style) {
    const vendor: VendorId = vendorArg(positionals[0]);
    const secrets = secretsArg(strs(values, 'secret'), io.env);
    const allowUnsigned = flag(values, 'allow-unsigned');
    if (secrets.length === 0 && !allowUnsigned)
      throw new UsageError('a secret is required: set $HOOKPROOF_SECRET (or pass --secret)');
    if (secrets.length > 0 && allowUnsigned) {
      throw new UsageError(
        `--allow-unsigned cannot be combined with a secret${strs(values, 'secret').length > 0 ? '' : ' (from $HOOKPROOF_SECRET)'}: a configured secret makes the signature mandatory, or anyone could post an unsigned event and take a real event's id. Drop --allow-unsigned to verify signatures, or drop the secret to accept unsigned test deliveries.`,
      );
    }
    const port = intArg(str(values, 'port'), 'port') ?? 8787;
    if (port > 65535) throw new UsageError('--port must be at most 65535');
    const uiPort = intArg(str(values, 'ui-port'), 'ui-port') ?? 0;
    if (uiPort > 65535) throw new UsageError('--ui-port must be at most 65535');
    const host = str(values, 'host') ?? '127.0.0.1';
    const path = str(values, 'path');
    if (path !== undefined && !path.startsWith('/')) throw new UsageError('--path must start with /');
    const toleranceSec = numberArg(str(values, 'tolerance'), 'tolerance');
    const forwardTo = urlArg(str(values, 'forward-to'), 'forward-to');
    const saveDir = str(values, 'save');
    const json = flag(values, 'json');
    const once = flag(values, 'once');

    let finish: (code: number) => void = () => undefined;
    const done = new Promise<number>((resolve) => {
      finish = resolve;
    });
    let listener: Listener;
    try {
      listener = await startListener({
        vendor,
        secrets,
        allowUnsigned,
        host,
        port,
        ...(toleranceSec === undefined ? {} : { toleranceSec }),
        ...(path === undefined ? {} : { path }),
        ...(forwardTo === undefined ? {} : { forwardTo }),
        ...(saveDir === undefined ? {} : { saveDir }),
        onDelivery(d, savedTo) {
          report(io, style, json, d, savedTo);
          if (once) finish(d.status >= 200 && d.status < 300 ? EXIT.ok : EXIT.failed);
        },
        onSaveError: (error) =>
          io.stderr.write(`hookproof listen: could not save a delivery to ${saveDir}: ${error.message}\n`),
      });
    } catch (error) {
      if (error instanceof TypeError && /^@hookproof/.test(error.message))
        throw new UsageError(error.message.replace(/^@hookproof: /, ''));
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE')
        throw new CliFailure(
          `port ${port} is in use on ${host}: stop what runs there, or pick another with --port (--port 0 picks a free one)`,
        );
      throw new CliFailure(`cannot listen on ${host}:${port}: ${(error as Error).message}`);
    }
    let ui: InspectorServer | undefined;
    if (flag(values, 'ui')) {
      try {
        ui = await startInspector(listener, uiPort);
      } catch (error) {
        await listener.close();
        const code = (error as NodeJS.ErrnoException).code;
        throw new CliFailure(
          code === 'EADDRINUSE'
            ? `--ui-port ${uiPort} is in use: pick another, or leave it out for a free one`
            : `cannot serve the inspector: ${(error as Error).message}`,
        );
      }
    }
    // Handlers first: whoever reads the ready line may signal at once.
    const stop = () => finish(EXIT.ok);
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    io.signal?.addEventListener('abort', stop, { once: true });
    if (io.signal?.aborted === true) stop();
    if (!LOOPBACK.has(host)) {
      io.stderr.write(
        `hookproof listen: warning: listening on ${host}, not loopback: other machines can reach this receiver${allowUnsigned ? ' and, with --allow-unsigned, post events to it' : ''}. Use the default 127.0.0.1 unless a device on your network must deliver here.\n`,
      );
    }
    if (json)
      print(
        io,
        jsonLine({
          listening: listener.url,
          ...(ui === undefined ? {} : { ui: ui.url }),
          vendor,
          ...(forwardTo === undefined ? {} : { forwardTo }),
          ...(saveDir === undefined ? {} : { save: saveDir }),
        }),
      );
    else {
      print(
        io,
        `${style.bold('listening')} on ${style.cyan(listener.url)} for ${vendors[vendor].name} deliveries ${style.dim('(Ctrl-C to stop)')}`,
      );
      if (ui !== undefined) print(io, `${style.bold('inspector')} at ${style.cyan(ui.url)}`);
      if (forwardTo !== undefined) print(io, style.dim(`verified deliveries are forwarded to ${forwardTo}`));
      if (saveDir !== undefined) print(io, style.dim(`each delivery is saved to ${saveDir}/`));
    }
    const code = await done;
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    await ui?.close();
    await listener.close();
    return code;
  },
};

function report(io: Io, style: Style, json: boolean, d: Delivery, savedTo: string | undefined): void {
  const body = Buffer.from(d.bodyBase64, 'base64').toString('utf8');
  if (json) {
    let payload: unknown;
    try {
      payload = JSON.parse(body);
    } catch {
      payload = body === '' ? undefined : body;
    }
    print(
      io,
      jsonLine({
        seq: d.seq,
        status: d.status,
        ok: d.status >= 200 && d.status < 300,
        verdict: d.verdict,
        ...(d.type === undefined ? {} : { type: d.type }),
        ...(d.eventId === undefined ? {} : { id: d.eventId, idSource: d.idSource, documented: d.documented }),
        ...(d.code === undefined ? {} : { code: d.code, message: d.message }),
        ...(d.cause === undefined ? {} : { cause: d.cause, summary: d.summary }),
        ...(d.drift === undefined || (!d.drift.unknownType && d.drift.fields.length === 0) ? {} : { drift: d.drift }),
        ...(d.forwarded === undefined ? {} : { forwarded: d.forwarded }),
        ...(d.source === 'network' ? {} : { source: d.source, replayOf: d.replayOf }),
        ...(savedTo === undefined ? {} : { saved: savedTo }),
        ...(d.verdict === 'verified' && payload !== undefined ? { payload } : {}),
      }),
    );
    return;
  }
  const message = inert(d.message ?? '');
  if (d.verdict === 'verified') {
    print(
      io,
      `${style.green(`✓ ${d.status}`)} ${style.bold(inert(d.type ?? ''))}  ${style.dim(`id ${inert(d.eventId ?? '')} (${d.idSource})${d.documented === false ? ', undocumented event' : ''}`)}`,
    );
    print(io, indent(inertBlock(pretty(body))));
  } else if (d.verdict === 'duplicate') {
    print(io, `${style.yellow(`= ${d.status} ${d.code}`)}  ${message}`);
  } else {
    print(io, `${style.red(`✗ ${d.status} ${d.code}`)}  ${message}`);
    if (d.summary !== undefined) print(io, style.dim(`  likely cause (${d.cause}): ${inert(d.summary)}`));
  }
  if (d.drift !== undefined && (d.drift.unknownType || d.drift.fields.length > 0)) {
    print(
      io,
      style.yellow(
        `  drift: ${d.drift.unknownType ? 'event type not documented' : `fields not in the documented payload: ${inert(d.drift.fields.join(', '))}`}`,
      ),
    );
  }
  const f = d.forwarded;
  if (f !== undefined) {
    const answer =
      f.status === undefined
        ? style.red(`no answer (${inert(f.error ?? '')})`)
        : (f.status < 300 ? style.green : style.red)(String(f.status));
    print(
      io,
      `  -> app ${answer} in ${duration(f.ms)}${f.body === undefined || f.body === '' ? '' : style.dim(`  ${inert(f.body.slice(0, 200))}`)}`,
    );
  }
  if (savedTo !== undefined) print(io, style.dim(`  saved ${savedTo}`));
}
