/**
 * The bot's small HTTP server (node:http): /healthz, /readyz and whatever adapters mount
 * (Telegram's webhook). Started when HTTP_PORT is set or an adapter needs it. Listens on
 * 127.0.0.1 unless told otherwise; every request body is capped (413), the webhook's included.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';

/** A route handler; it must end the response. */
export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

/** Largest request body accepted: a Telegram update is a few kilobytes; 256 KiB leaves room. */
export const MAX_BODY_BYTES = 256 * 1024;

/** Answers 413 and drops the connection once the answer is out (the rest is never read). */
function tooLarge(req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(413, { 'content-type': 'text/plain', connection: 'close' }).end('request body too large\n');
  res.once('finish', () => req.destroy());
}

/** The whole body, or null once it passes the cap (a declared length over it is refused unread). */
function readCapped(req: IncomingMessage, max: number): Promise<Buffer | null> {
  if (Number(req.headers['content-length'] ?? 0) > max) return Promise.resolve(null);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let seen = 0;
    const onData = (chunk: Buffer) => {
      seen += chunk.length;
      if (seen <= max) return void chunks.push(chunk);
      req.off('data', onData);
      resolve(null);
    };
    req
      .on('data', onData)
      .once('end', () => resolve(Buffer.concat(chunks)))
      .once('error', reject);
  });
}

/**
 * The request with its already-read body replayed, for handlers that read the stream (grammY's
 * webhook). Reading first, then handing over, is what makes the cap hold for every route.
 */
function replay(req: IncomingMessage, body: Buffer): IncomingMessage {
  return Object.assign(Readable.from(body.length ? [body] : []), {
    headers: req.headers,
    method: req.method,
    url: req.url,
  }) as unknown as IncomingMessage;
}

/** Routes by method and exact path. */
export class HttpServer {
  private readonly routes = new Map<string, RouteHandler>();
  private server: Server | undefined;
  private readonly checks = new Map<string, () => Promise<boolean> | boolean>();

  constructor(private readonly maxBodyBytes = MAX_BODY_BYTES) {
    this.route('GET', '/healthz', (_req, res) => void res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n'));
    this.route('GET', '/readyz', async (_req, res) => {
      const results: Record<string, boolean> = {};
      for (const [name, check] of this.checks)
        results[name] = await Promise.resolve()
          .then(check)
          .catch(() => false);
      const ready = Object.values(results).every(Boolean);
      res.writeHead(ready ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify({ ready, checks: results }) + '\n');
    });
  }

  /** Mounts a handler. */
  route(method: string, path: string, handler: RouteHandler): void {
    this.routes.set(`${method} ${path}`, handler);
  }

  /** Adds a readiness check shown by /readyz (database reachable, adapter connected…). */
  readiness(name: string, check: () => Promise<boolean> | boolean): void {
    this.checks.set(name, check);
  }

  /** Starts listening; resolves with the bound port. */
  async listen(port: number, host = '127.0.0.1'): Promise<number> {
    this.server = createServer((req, res) => {
      const handler = this.routes.get(`${req.method} ${(req.url ?? '/').split('?')[0]}`);
      if (!handler) return void res.writeHead(404).end();
      readCapped(req, this.maxBodyBytes)
        .then((body) => (body ? handler(replay(req, body), res) : tooLarge(req, res)))
        .catch(() => {
          if (!res.headersSent) res.writeHead(500);
          res.end();
        });
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, host, () => resolve());
    });
    return (this.server.address() as AddressInfo).port;
  }

  /** Stops accepting connections and closes open ones. */
  async close(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }
}
