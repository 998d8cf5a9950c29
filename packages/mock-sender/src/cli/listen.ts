import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createReceiver, DEFAULT_MAX_BODY_BYTES, diagnose, vendors, type VendorId } from '@hookproof/core';
import { EXIT, flag, print, str, strs, type Command } from './command.js';
import { intArg, numberArg, secretsArg, UsageError, vendorArg } from './io.js';
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
  help: `Usage: hookproof listen <vendor> --secret <secret> [options]

Starts a receiver on 127.0.0.1 that verifies every POST with @hookproof/core (signature,
replay window, dedupe) and pretty-prints the verified event, or the failure and its
likely cause. It answers as a hookproof receiver would (2xx only for verified events).

Options:
  --secret <secret>    signing secret; repeat during key rotation (default: $HOOKPROOF_SECRET)
  --port <n>           port (default 8787; 0 picks a free port, printed at start)
  --path <path>        only accept this path (default: every path)
  --tolerance <s>      replay window in seconds (default: the vendor's)
  --allow-unsigned     accept deliveries with no signature (Autoposting only)
  --once               exit after the first delivery: 0 if it verified, 1 if not
  --json               one JSON line per delivery (the first line says where it listens)
  -h, --help           show this help

Exit status: 0 ok (stopped by Ctrl-C, or --once with a verified delivery), 1 --once with a
rejected delivery, 2 usage error.`,
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
    if (secrets.length === 0 && !allowUnsigned) throw new UsageError('--secret (or $HOOKPROOF_SECRET) is required');
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
      throw new UsageError(`cannot listen on 127.0.0.1:${port}: ${(error as Error).message}`);
    }
    // Handlers first: whoever reads the ready line may signal at once.
    const stop = () => finish(EXIT.ok);
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    const address = server.address() as AddressInfo;
    const url = `http://127.0.0.1:${address.port}${path ?? '/'}`;
    if (json) print(io, JSON.stringify({ listening: url, vendor }));
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
    print(io, JSON.stringify(payload === undefined ? rest : { ...rest, payload: parsed }));
    return;
  }
  if (line.ok && line.type !== undefined) {
    print(io, `${style.green(`✓ ${line.status}`)} ${style.bold(line.type)}  ${style.dim(`id ${line.id} (${line.idSource})${line.documented === false ? ', undocumented event' : ''}`)}`);
    if (line.payload !== undefined) print(io, indent(pretty(line.payload)));
  } else if (line.ok) {
    print(io, `${style.yellow(`= ${line.status} ${line.code}`)}  ${line.message ?? ''}`);
  } else {
    print(io, `${style.red(`✗ ${line.status} ${line.code}`)}  ${line.message ?? ''}`);
    if (line.summary !== undefined) print(io, style.dim(`  likely cause (${line.cause}): ${line.summary}`));
  }
}
