import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createReceiver, DEFAULT_MAX_BODY_BYTES, diagnose, vendors, type VendorId } from '@hookproof/core';
import { EXIT, flag, print, str, strs, type Command } from './command.js';
import { CliFailure, intArg, numberArg, secretsArg, UsageError, vendorArg } from './io.js';
import { inert, inertBlock, jsonLine } from './safe.js';
import type { Style } from './style.js';

function readBody(req: http.IncomingMessage, max: number): Promise<Uint8Array | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= max) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > max ? undefined : new Uint8Array(Buffer.concat(chunks))));
    req.on('error', reject);
  });
}

function pretty(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

const indent = (s: string) => s.replace(/^/gm, '  ');

export const listen: Command = {
  name: 'listen',
  summary: 'run a local verifying receiver on 127.0.0.1 that prints each delivery',
  help: `Usage: HOOKPROOF_SECRET=… hookproof listen <vendor> [options]

Starts a receiver on 127.0.0.1 that verifies every POST with @hookproof/core (signature,
replay window, dedupe) and pretty-prints the verified event, or the failure and its
likely cause. It answers as a hookproof receiver would (2xx only for verified events).

Options:
  --secret <secret>    signing secret; repeat during key rotation (default: $HOOKPROOF_SECRET,
                       which is better: a --secret value is visible to every user in \`ps\`)
  --port <n>           port (default 8787; 0 picks a free port, printed at start)
  --path <path>        only accept this path (default: every path)
  --tolerance <s>      replay window in seconds (default: the vendor's)
  --allow-unsigned     accept deliveries with no signature (Autoposting only, and only without a
                       secret: a configured secret makes the signature mandatory)
  --once               exit after the first delivery: 0 if it verified, 1 if not
  --json               one JSON line per delivery (the first line says where it listens)
  -h, --help           show this help

A request carrying a browser's Origin header is refused (403): vendors send none, and a
web page must not be able to post events to a local receiver. Everything printed that
came from the network (event type, id, payload) has its control characters escaped.

Exit status: 0 ok (stopped by Ctrl-C, or --once with a verified delivery), 1 --once with a
rejected delivery or the port is taken, 2 usage error.`,
  options: {
    secret: { type: 'string', multiple: true },
    port: { type: 'string' },
    path: { type: 'string' },
    tolerance: { type: 'string' },
    'allow-unsigned': { type: 'boolean' },
    once: { type: 'boolean' },
    json: { type: 'boolean' },
  },
  async run(values, positionals, io, style) {
    const vendor: VendorId = vendorArg(positionals[0]);
    const secrets = secretsArg(strs(values, 'secret'), io.env);
    const allowUnsigned = flag(values, 'allow-unsigned');
    if (secrets.length === 0 && !allowUnsigned) throw new UsageError('a secret is required: set $HOOKPROOF_SECRET (or pass --secret)');
    if (secrets.length > 0 && allowUnsigned) {
      throw new UsageError(
        `--allow-unsigned cannot be combined with a secret${strs(values, 'secret').length > 0 ? '' : ' (from $HOOKPROOF_SECRET)'}: a configured secret makes the signature mandatory, or anyone could post an unsigned event and take a real event's id. Drop --allow-unsigned to verify signatures, or drop the secret to accept unsigned test deliveries.`,
      );
    }
    const port = intArg(str(values, 'port'), 'port') ?? 8787;
    if (port > 65535) throw new UsageError('--port must be at most 65535');
    const path = str(values, 'path');
    if (path !== undefined && !path.startsWith('/')) throw new UsageError('--path must start with /');
    const toleranceSec = numberArg(str(values, 'tolerance'), 'tolerance');
    const json = flag(values, 'json');
    const options = {
      vendor,
      secret: secrets,
      ...(toleranceSec === undefined ? {} : { toleranceSec }),
      ...(allowUnsigned ? { allowUnsigned: true } : {}),
    };
    let receiver;
    try {
      receiver = createReceiver(options);
    } catch (error) {
      throw new UsageError((error as Error).message.replace(/^@hookproof: /, ''));
    }

    let finish: (code: number) => void = () => undefined;
    const done = new Promise<number>((resolve) => {
      finish = resolve;
    });
    const server = http.createServer(async (req, res) => {
      const send = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
      if (path !== undefined && (req.url ?? '/').split('?')[0] !== path) return send(404, { error: 'not_found', message: `This receiver listens on ${path}.` });
      if (req.method !== 'POST') return send(405, { error: 'method_not_allowed', message: 'Webhooks are delivered with POST.' });
      // Vendors send no Origin; a browser always does on a cross-origin POST. Refusing it
      // keeps a web page from posting events to this receiver (unsigned ones above all).
      if (req.headers.origin !== undefined) {
        send(403, { error: 'forbidden_origin', message: 'Requests from a web page (with an Origin header) are refused: webhook senders send none.' });
        report(io, style, json, { status: 403, ok: false, code: 'forbidden_origin', message: `refused a browser request from ${req.headers.origin}` });
        if (flag(values, 'once')) finish(EXIT.failed);
        return;
      }
      const body = await readBody(req, DEFAULT_MAX_BODY_BYTES).catch(() => undefined);
      if (body === undefined) {
        send(413, { error: 'payload_too_large', message: 'The body is too large or could not be read.' });
        report(io, style, json, { status: 413, ok: false, code: 'payload_too_large', message: 'body too large or unreadable' });
        if (flag(values, 'once')) finish(EXIT.failed);
        return;
      }
      const result = await receiver.receive({ body, headers: req.headers });
      send(result.status, result.body);
      if (result.error === undefined && result.event !== undefined) {
        const e = result.event;
        report(io, style, json, { status: result.status, ok: true, type: String(e.type), id: e.id, idSource: e.idSource, documented: e.documented, payload: e.raw });
      } else if (result.error !== undefined) {
        const d = result.error.code === 'duplicate' ? undefined : await diagnose({ ...options, body, headers: req.headers });
        report(io, style, json, { status: result.status, ok: result.status < 300, code: result.error.code, message: result.error.message, ...(d?.cause === undefined ? {} : { cause: d.cause, summary: d.summary }) });
      }
      if (flag(values, 'once')) finish(result.status >= 200 && result.status < 300 ? EXIT.ok : EXIT.failed);
    });
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, '127.0.0.1', () => resolve());
      });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE') throw new CliFailure(`port ${port} is in use on 127.0.0.1: stop what runs there, or pick another with --port (--port 0 picks a free one)`);
      throw new CliFailure(`cannot listen on 127.0.0.1:${port}: ${(error as Error).message}`);
    }
    // Handlers first: whoever reads the ready line may signal at once.
    const stop = () => finish(EXIT.ok);
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    io.signal?.addEventListener('abort', stop, { once: true });
    if (io.signal?.aborted === true) stop();
    const address = server.address() as AddressInfo;
    const url = `http://127.0.0.1:${address.port}${path ?? '/'}`;
    if (json) print(io, jsonLine({ listening: url, vendor }));
    else print(io, `${style.bold('listening')} on ${style.cyan(url)} for ${vendors[vendor].name} deliveries ${style.dim('(Ctrl-C to stop)')}`);
    const code = await done;
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
    return code;
  },
};

interface Line {
  status: number;
  ok: boolean;
  type?: string;
  id?: string;
  idSource?: string;
  documented?: boolean;
  payload?: string;
  code?: string;
  message?: string;
  cause?: string;
  summary?: string;
}

function report(io: Parameters<Command['run']>[2], style: Style, json: boolean, line: Line): void {
  if (json) {
    const { payload, ...rest } = line;
    let parsed: unknown = payload;
    try {
      parsed = payload === undefined ? undefined : JSON.parse(payload);
    } catch {
      // not JSON: keep the text
    }
    print(io, jsonLine(payload === undefined ? rest : { ...rest, payload: parsed }));
    return;
  }
  const message = inert(line.message ?? '');
  if (line.ok && line.type !== undefined) {
    print(io, `${style.green(`✓ ${line.status}`)} ${style.bold(inert(line.type))}  ${style.dim(`id ${inert(line.id ?? '')} (${line.idSource})${line.documented === false ? ', undocumented event' : ''}`)}`);
    if (line.payload !== undefined) print(io, indent(inertBlock(pretty(line.payload))));
  } else if (line.ok) {
    print(io, `${style.yellow(`= ${line.status} ${line.code}`)}  ${message}`);
  } else {
    print(io, `${style.red(`✗ ${line.status} ${line.code}`)}  ${message}`);
    if (line.summary !== undefined) print(io, style.dim(`  likely cause (${line.cause}): ${inert(line.summary)}`));
  }
}
