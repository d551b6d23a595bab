/**
 * A TCP proxy on loopback (node:net) that holds back everything the server sends by `delayMs`,
 * in order: a slow database as the bot sees it (each answer late, the connection healthy).
 */
import { connect, createServer, type Server, type Socket } from 'node:net';

/** A running proxy. */
export interface DelayingProxy {
  port: number;
  /** how late every chunk from the server is passed on from now (0: at once) */
  delayMs: number;
  close(): Promise<void>;
}

/** Proxies 127.0.0.1:<free port> to `target`, delaying the server's side. */
export async function startDelayingProxy(target: { host: string; port: number }): Promise<DelayingProxy> {
  const sockets = new Set<Socket>();
  const proxy: DelayingProxy = { port: 0, delayMs: 0, close: async () => {} };
  const server: Server = createServer((client) => {
    const upstream = connect(target.port, target.host);
    sockets.add(client).add(upstream);
    // when the last chunk is due: later chunks never overtake earlier ones
    let due = 0;
    client.on('data', (d) => upstream.write(d));
    upstream.on('data', (d) => {
      due = Math.max(due, Date.now() + proxy.delayMs);
      setTimeout(() => client.writable && client.write(d), due - Date.now());
    });
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end).on('error', end);
    upstream.on('close', () => setTimeout(end, Math.max(0, due - Date.now()))).on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.port = (server.address() as { port: number }).port;
  proxy.close = async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return proxy;
}
