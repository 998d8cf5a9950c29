import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { NodeListener } from '../types.js';
import { postBytes } from './http.js';
import type { Transport } from './transport.js';

function hostOf(address: AddressInfo): string {
  if (address.family === 'IPv6' || address.address.includes(':')) {
    return address.address === '::' ? '127.0.0.1' : `[${address.address}]`;
  }
  return address.address === '0.0.0.0' ? '127.0.0.1' : address.address;
}

function listen(server: http.Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/**
 * An `http.Server` (used at its address; started on an ephemeral 127.0.0.1 port if it
 * is not listening) or a request listener (Express, Koa's callback) behind a server
 * the sender owns. Only servers the sender started are closed by `close()`.
 */
export function serverTransport(source: http.Server | NodeListener, path: string): Transport {
  let server: http.Server | undefined;
  let owned = false;
  let ready: Promise<URL> | undefined;

  const start = async (): Promise<URL> => {
    if (typeof source === 'function') {
      server = http.createServer((req, res) => {
        void source(req, res);
      });
      owned = true;
    } else {
      server = source;
    }
    if (!server.listening) {
      owned = true;
      await listen(server);
    }
    const address = server.address();
    if (address === null || typeof address === 'string') {
      throw new TypeError(
        '@hookproof/mock-sender: the target server listens on a pipe, not a TCP port; pass its URL instead.',
      );
    }
    return new URL(path, `http://${hostOf(address)}:${address.port}`);
  };

  return {
    url: async () => (await (ready ??= start())).href,
    send: async (headers, body, signal) => postBytes(await (ready ??= start()), headers, body, signal),
    close: async () => {
      const s = server;
      if (s === undefined || !owned || !s.listening) return;
      await new Promise<void>((resolve) => {
        s.close(() => resolve());
        s.closeAllConnections();
      });
    },
  };
}
