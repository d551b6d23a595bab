/**
 * The bot's small HTTP server (node:http): /healthz, /readyz and whatever adapters mount
 * (Telegram's webhook). Started when HTTP_PORT is set or an adapter needs it.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A route handler; it must end the response. */
export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

/** Routes by method and exact path. */
export class HttpServer {
  private readonly routes = new Map<string, RouteHandler>();
  private server: Server | undefined;
  private readonly checks = new Map<string, () => Promise<boolean> | boolean>();

  constructor() {
    this.route('GET', '/healthz', (_req, res) => void res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n'));
    this.route('GET', '/readyz', async (_req, res) => {
      const results: Record<string, boolean> = {};
      for (const [name, check] of this.checks) results[name] = await Promise.resolve().then(check).catch(() => false);
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
  async listen(port: number, host = '0.0.0.0'): Promise<number> {
    this.server = createServer((req, res) => {
      const handler = this.routes.get(`${req.method} ${(req.url ?? '/').split('?')[0]}`);
      if (!handler) return void res.writeHead(404).end();
      Promise.resolve()
        .then(() => handler(req, res))
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
