// A raw HTTP/1.x client on node:net: writes exactly the bytes a case scripts (lying
// lengths, stalled bodies, control characters, HTTP/1.0), parses what comes back, and
// reports how long it took and whether the server closed the connection. Plus a
// process-wide probe of how many bytes the server side read from its sockets.
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { connect, type Socket } from 'node:net';

export interface RawResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export interface Exchange {
  /** Responses in order (pipelined requests get several). */
  readonly responses: readonly RawResponse[];
  /** The first response's status, or `undefined` if none came (the server closed, or time ran out). */
  readonly status: number | undefined;
  /** ms from connecting to the first response (or to the end of the exchange without one). */
  readonly ms: number;
  /** The server closed the connection. */
  readonly closed: boolean;
  /** Bytes the client managed to write. */
  readonly written: number;
  /** No response and no close within the exchange's time limit. */
  readonly timedOut: boolean;
}

export interface Script {
  /** Writes (never throws after the server closed); resolves when the kernel took the bytes. */
  write(bytes: string | Buffer): Promise<void>;
  /** Resolves after `ms`, or at once when the exchange is over. */
  sleep(ms: number): Promise<void>;
  /** True once a response arrived or the socket closed: stop writing. */
  readonly done: boolean;
  /** Half-close: the client sends FIN (an aborted upload). */
  end(): void;
}

function parseHead(head: string): { status: number; headers: Record<string, string> } {
  const [statusLine = '', ...lines] = head.split('\r\n');
  const status = Number(statusLine.split(' ')[1]);
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) {
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
    }
  }
  return { status, headers };
}

/** Complete responses at the start of `buf`, and the bytes left over. */
function parseResponses(buf: Buffer, closed: boolean): { responses: RawResponse[]; rest: Buffer } {
  const responses: RawResponse[] = [];
  let rest: Buffer = buf;
  for (;;) {
    const end = rest.indexOf('\r\n\r\n');
    if (end < 0) break;
    const { status, headers } = parseHead(rest.subarray(0, end).toString('latin1'));
    let at = end + 4;
    let body: Buffer;
    const length = headers['content-length'];
    if (headers['transfer-encoding']?.toLowerCase().includes('chunked')) {
      const parts: Buffer[] = [];
      let complete = false;
      for (;;) {
        const lineEnd = rest.indexOf('\r\n', at);
        if (lineEnd < 0) break;
        const size = parseInt(rest.subarray(at, lineEnd).toString('latin1'), 16);
        if (!Number.isFinite(size)) break;
        if (rest.length < lineEnd + 2 + size + 2) break;
        if (size === 0) {
          const trailerEnd = rest.indexOf('\r\n', lineEnd + 2);
          if (trailerEnd < 0) break;
          at = trailerEnd + 2;
          complete = true;
          break;
        }
        parts.push(rest.subarray(lineEnd + 2, lineEnd + 2 + size));
        at = lineEnd + 2 + size + 2;
      }
      if (!complete) break;
      body = Buffer.concat(parts);
    } else if (length !== undefined) {
      const n = Number(length);
      if (rest.length < at + n) break;
      body = rest.subarray(at, at + n);
      at += n;
    } else if (status === 204 || status === 304 || (status >= 100 && status < 200)) {
      body = Buffer.alloc(0);
    } else {
      // Delimited by the close.
      if (!closed) break;
      body = rest.subarray(at);
      at = rest.length;
    }
    responses.push({ status, headers, body: body.toString('utf8') });
    rest = rest.subarray(at);
  }
  return { responses, rest };
}

/**
 * Connects to `url`, runs `script`, and resolves once `expect` responses arrived (then
 * waits `linger` ms to see whether the server closes), the server closed, or `timeoutMs`
 * passed. The socket is always destroyed at the end.
 */
export function exchange(
  url: string,
  script: (s: Script) => Promise<void> | void,
  options: { timeoutMs?: number; expect?: number; linger?: number } = {},
): Promise<Exchange> {
  const { timeoutMs = 10_000, expect = 1, linger = 50 } = options;
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const started = performance.now();
    let firstAt: number | undefined;
    let received: Buffer = Buffer.alloc(0);
    let responses: RawResponse[] = [];
    let closed = false;
    let finished = false;
    let written = 0;
    const wakers = new Set<() => void>();
    const socket: Socket = connect({ host: hostname, port: Number(port) });
    socket.setNoDelay(true);

    const finish = (timedOut: boolean) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      for (const wake of wakers) wake();
      socket.destroy();
      const ms = (firstAt ?? performance.now()) - started;
      resolve({ responses, status: responses[0]?.status, ms, closed, written, timedOut });
    };
    const timer = setTimeout(() => finish(responses.length === 0 && !closed), timeoutMs);
    const parse = () => {
      const parsed = parseResponses(received, closed);
      if (parsed.responses.length > 0) {
        responses = [...responses, ...parsed.responses];
        received = parsed.rest;
        firstAt ??= performance.now();
      }
      if (responses.length >= expect && !closed) {
        for (const wake of wakers) wake();
        setTimeout(() => finish(false), linger);
      }
    };
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      parse();
    });
    socket.on('error', () => undefined); // ECONNRESET after the server closed: reported as `closed`.
    socket.on('close', () => {
      closed = true;
      parse();
      finish(false);
    });

    const api: Script = {
      get done() {
        return finished || closed || responses.length >= expect;
      },
      write(bytes) {
        if (api.done || socket.destroyed) return Promise.resolve();
        return new Promise((r) => {
          const n = typeof bytes === 'string' ? Buffer.byteLength(bytes, 'latin1') : bytes.length;
          const ok = socket.write(typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes, () => {
            written += n;
            r();
          });
          if (!ok) {
            // Backpressure: wait for drain, or for the exchange to end.
            const wake = () => {
              wakers.delete(wake);
              r();
            };
            wakers.add(wake);
            socket.once('drain', wake);
          }
        });
      },
      sleep(ms) {
        if (api.done) return Promise.resolve();
        return new Promise((r) => {
          const wake = () => {
            wakers.delete(wake);
            clearTimeout(t);
            r();
          };
          const t = setTimeout(wake, ms);
          wakers.add(wake);
        });
      },
      end() {
        if (!socket.destroyed) socket.end();
      },
    };
    socket.once('connect', () => {
      Promise.resolve()
        .then(() => script(api))
        .catch(() => undefined);
    });
  });
}

/** Counts the bytes server-side sockets read, for bounding what a hostile request costs. */
export function serverReadProbe(): { readonly bytes: number; reset(): void; stop(): void } {
  const live = new Set<Socket>();
  let closedBytes = 0;
  const onSocket = (message: unknown) => {
    const socket = (message as { socket: Socket }).socket;
    live.add(socket);
    socket.once('close', () => {
      live.delete(socket);
      closedBytes += socket.bytesRead;
    });
  };
  subscribe('net.server.socket', onSocket);
  let base = 0;
  const total = () => closedBytes + [...live].reduce((n, s) => n + s.bytesRead, 0);
  return {
    get bytes() {
      return total() - base;
    },
    reset() {
      base = total();
    },
    stop() {
      unsubscribe('net.server.socket', onSocket);
    },
  };
}
