import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createReceiver, DEFAULT_MAX_BODY_BYTES, diagnose, vendors, type VendorId } from '@hookproof/core';
import { bodyReader, type BodyRead } from '@hookproof/core/adapter';
import { driftOf } from './drift.js';
import { postBytes } from './forward.js';
import {
  DeliveryStore,
  headerRecord,
  pairs,
  type Delivery,
  type DeliverySource,
  type Drift,
  type Forwarded,
} from './record.js';
import { saveDelivery } from './save.js';

export interface ListenerOptions {
  readonly vendor: VendorId;
  /** Empty only with `allowUnsigned`. */
  readonly secrets: readonly string[];
  readonly allowUnsigned: boolean;
  readonly toleranceSec?: number;
  readonly host: string;
  readonly port: number;
  /** Only this path is a receiver (default every path). */
  readonly path?: string;
  /** After verifying, POST the exact bytes and headers here and answer with the app's answer. */
  readonly forwardTo?: string;
  /** Write each delivery to this directory as JSON (`hookproof replay` reads them). */
  readonly saveDir?: string;
  /** Called once per delivery, after it is answered, saved and stored. */
  readonly onDelivery?: (d: Delivery, savedTo: string | undefined) => void;
  /** Called when saving fails (the delivery is still answered and kept). */
  readonly onSaveError?: (error: Error) => void;
}

export interface IncomingDelivery {
  readonly method: string;
  readonly path: string;
  readonly headers: readonly (readonly [string, string])[];
  readonly body: Uint8Array;
  readonly source: DeliverySource;
  readonly replayOf?: number;
}

export interface Listener {
  /** The receiver's URL (with `--path`), as a sender would use it. */
  readonly url: string;
  readonly port: number;
  readonly store: DeliveryStore;
  readonly options: ListenerOptions;
  /** The same pipeline as a request from the network: verify, dedupe, forward, record. */
  process(input: IncomingDelivery): Promise<Delivery>;
  close(): Promise<void>;
}

// Core's body reader: the same limit, clock and error codes as every hookproof receiver.
const reader = bodyReader({ maxBodyBytes: DEFAULT_MAX_BODY_BYTES });

function readBody(req: http.IncomingMessage): Promise<BodyRead> {
  return new Promise((resolve) => reader.readBody(req, req.headers['content-length'], resolve));
}

function parseJson(body: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
  } catch {
    return undefined;
  }
}

/** The type a body claims (for refused deliveries too: the page lists them by type). */
function claimedType(vendor: VendorId, payload: unknown): string | undefined {
  if (typeof payload !== 'object' || payload === null) return undefined;
  for (const f of vendors[vendor].typeFields) {
    const v = (payload as Record<string, unknown>)[f];
    if (typeof v === 'string') return v;
  }
  return undefined;
}

export async function startListener(options: ListenerOptions): Promise<Listener> {
  const { vendor } = options;
  const receiverOptions = {
    vendor,
    secret: [...options.secrets],
    ...(options.toleranceSec === undefined ? {} : { toleranceSec: options.toleranceSec }),
    ...(options.allowUnsigned ? { allowUnsigned: true } : {}),
  };
  // logger: false: the listener prints every delivery with its verdict and diagnosis itself.
  const receiver = createReceiver({ ...receiverOptions, logger: false });
  const store = new DeliveryStore();

  type Recorded = { delivery: Delivery; savedTo: string | undefined };
  async function finish(
    input: IncomingDelivery,
    fields: Omit<
      Delivery,
      'format' | 'seq' | 'at' | 'vendor' | 'method' | 'path' | 'headers' | 'bodyBase64' | 'source' | 'replayOf'
    >,
  ): Promise<Recorded> {
    const delivery: Delivery = {
      format: 'hookproof-delivery/1',
      seq: store.nextSeq(),
      at: new Date().toISOString(),
      vendor,
      method: input.method,
      path: input.path,
      headers: input.headers,
      bodyBase64: Buffer.from(input.body).toString('base64'),
      source: input.source,
      ...(input.replayOf === undefined ? {} : { replayOf: input.replayOf }),
      ...fields,
    };
    store.add(delivery);
    let savedTo: string | undefined;
    if (options.saveDir !== undefined) {
      try {
        savedTo = await saveDelivery(options.saveDir, delivery);
      } catch (error) {
        options.onSaveError?.(error as Error);
      }
    }
    return { delivery, savedTo };
  }

  async function handle(input: IncomingDelivery): Promise<Recorded> {
    const started = performance.now();
    const headers = headerRecord(input.headers);
    const result = await receiver.receive({ body: input.body, headers });
    const code = result.error?.code;
    const verdict: Delivery['verdict'] =
      code === undefined ? 'verified' : code === 'duplicate' ? 'duplicate' : 'rejected';
    const payload = parseJson(input.body);
    const type = result.event === undefined ? claimedType(vendor, payload) : String(result.event.type);
    let status = result.status;
    let answer = JSON.stringify(result.body);
    let cause: string | undefined;
    let summary: string | undefined;
    let forwarded: Forwarded | undefined;
    let drift: Drift | undefined;
    if (verdict === 'rejected') {
      const d = await diagnose({ ...receiverOptions, body: input.body, headers });
      cause = d.cause;
      summary = d.summary;
    } else {
      drift = driftOf(vendor, type, payload);
      if (options.forwardTo !== undefined) {
        forwarded = await postBytes(options.forwardTo, input.headers, input.body, vendors[vendor].timeoutMs);
        status = forwarded.status ?? 502;
        answer =
          forwarded.status === undefined
            ? JSON.stringify({
                error: 'forward_failed',
                message: `The app at ${forwarded.url} did not answer: ${forwarded.error ?? 'unknown error'}.`,
              })
            : (forwarded.body ?? '');
      }
    }
    const message = result.error?.message;
    const e = result.event;
    return finish(input, {
      status,
      answer,
      verdict,
      ...(code === undefined ? {} : { code }),
      ...(message === undefined ? {} : { message }),
      ...(cause === undefined ? {} : { cause }),
      ...(summary === undefined ? {} : { summary }),
      ...(type === undefined ? {} : { type }),
      ...(e === undefined ? {} : { eventId: e.id, idSource: e.idSource, documented: e.documented }),
      ms: performance.now() - started,
      ...(forwarded === undefined ? {} : { forwarded }),
      ...(drift === undefined ? {} : { drift }),
    });
  }

  async function process(input: IncomingDelivery): Promise<Delivery> {
    const r = await handle(input);
    options.onDelivery?.(r.delivery, r.savedTo);
    return r.delivery;
  }

  const server = http.createServer(async (req, res) => {
    // The delivery is announced once its answer is on the wire (`--once` exits right after).
    const reply = (status: number, body: string, recorded?: Recorded) =>
      res
        .writeHead(status, {
          'content-type': recorded?.delivery.forwarded?.contentType ?? 'application/json; charset=utf-8',
        })
        .end(body, () => {
          if (recorded !== undefined) options.onDelivery?.(recorded.delivery, recorded.savedTo);
        });
    const path = (req.url ?? '/').split('?')[0]!;
    if (options.path !== undefined && path !== options.path)
      return reply(404, JSON.stringify({ error: 'not_found', message: `This receiver listens on ${options.path}.` }));
    if (req.method !== 'POST')
      return reply(405, JSON.stringify({ error: 'method_not_allowed', message: 'Webhooks are delivered with POST.' }));
    const incoming = {
      method: req.method,
      path: req.url ?? '/',
      headers: pairs(req.rawHeaders),
      source: 'network' as const,
    };
    // Vendors send no Origin; a browser always does on a cross-origin POST. Refusing it
    // keeps a web page from posting events to this receiver (unsigned ones above all).
    if (req.headers.origin !== undefined) {
      req.resume();
      const message = `Refused a browser request (Origin ${req.headers.origin}): webhook senders send no Origin header.`;
      const answer = JSON.stringify({ error: 'forbidden_origin', message });
      reply(
        403,
        answer,
        await finish(
          { ...incoming, body: new Uint8Array() },
          { status: 403, answer, verdict: 'rejected', code: 'forbidden_origin', message, ms: 0 },
        ),
      );
      return;
    }
    const read = await readBody(req);
    if (!read.ok) {
      const { code, message, status } = read.error;
      const answer = JSON.stringify(read.error.toJSON());
      reply(
        status,
        answer,
        await finish(
          { ...incoming, body: new Uint8Array() },
          { status, answer, verdict: 'rejected', code, message, ms: 0 },
        ),
      );
      return;
    }
    const { body } = read;
    const recorded = await handle({ ...incoming, body });
    reply(recorded.delivery.status, recorded.delivery.answer, recorded);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const shownHost = options.host.includes(':')
    ? `[${options.host}]`
    : options.host === '0.0.0.0'
      ? '127.0.0.1'
      : options.host;
  return {
    url: `http://${shownHost}:${port}${options.path ?? '/'}`,
    port,
    store,
    options,
    process,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
