import { afterEach, describe, expect, it } from 'vitest';
import { request } from 'node:http';
import { Bot, webhookCallback } from 'grammy';
import { HttpServer, MAX_BODY_BYTES } from '../src/http.ts';
import { loadConfig } from '../src/config.ts';

/** POSTs a body (streamed in chunks without a length when chunked) and resolves with the status. */
function post(
  port: number,
  path: string,
  body: Buffer,
  opts: { chunked?: boolean; headers?: Record<string, string> } = {},
): Promise<number> {
  return new Promise((resolve, reject) => {
    const headers = {
      'content-type': 'application/json',
      ...(opts.chunked ? { 'transfer-encoding': 'chunked' } : { 'content-length': String(body.length) }),
      ...opts.headers,
    };
    const req = request({ host: '127.0.0.1', port, path, method: 'POST', headers }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    if (!opts.chunked) return void req.end(body);
    for (let i = 0; i < body.length; i += 16_384) req.write(body.subarray(i, i + 16_384));
    req.end();
  });
}

describe('http server', () => {
  let server: HttpServer | undefined;
  afterEach(async () => server?.close());

  it('answers /healthz while the process runs', async () => {
    server = new HttpServer();
    const port = await server.listen(0, '127.0.0.1');
    const r = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(r.status).toBe(200);
    expect(await r.text()).toBe('ok\n');
  });

  it('answers /readyz 200 only when every check passes, naming each', async () => {
    server = new HttpServer();
    let dbUp = true;
    server.readiness('database', async () => dbUp);
    server.readiness('telegram', () => true);
    const port = await server.listen(0, '127.0.0.1');
    let r = await fetch(`http://127.0.0.1:${port}/readyz`);
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ ready: true, checks: { database: true, telegram: true } });
    dbUp = false;
    r = await fetch(`http://127.0.0.1:${port}/readyz`);
    expect(r.status).toBe(503);
    expect(await r.json()).toEqual({ ready: false, checks: { database: false, telegram: true } });
  });

  it('counts a check that throws as not ready, and 404s unknown paths', async () => {
    server = new HttpServer();
    server.readiness('database', async () => {
      throw new Error('connection refused');
    });
    const port = await server.listen(0, '127.0.0.1');
    expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(503);
    expect((await fetch(`http://127.0.0.1:${port}/nope`)).status).toBe(404);
  });

  describe('exposure and request bodies', () => {
    it('listens on 127.0.0.1 by default, and HTTP_HOST opens it on purpose', async () => {
      server = new HttpServer();
      await server.listen(0);
      const address = (server as unknown as { server: { address(): { address: string } } }).server.address();
      expect(address.address).toBe('127.0.0.1');
      expect(loadConfig({}).httpHost).toBe('127.0.0.1');
      expect(loadConfig({ HTTP_HOST: '0.0.0.0' }).httpHost).toBe('0.0.0.0');
      expect(() => loadConfig({ HTTP_HOST: 'bad host;' })).toThrow(/HTTP_HOST/);
    });

    it('hands a body under the cap to the handler intact (declared or streamed)', async () => {
      server = new HttpServer();
      const seen: number[] = [];
      server.route('POST', '/in', (req, res) => {
        const chunks: Buffer[] = [];
        req
          .on('data', (c: Buffer) => chunks.push(c))
          .on('end', () => {
            seen.push(Buffer.concat(chunks).length);
            res.writeHead(200).end();
          });
      });
      const port = await server.listen(0);
      const body = Buffer.alloc(MAX_BODY_BYTES, 0x61);
      expect(await post(port, '/in', body)).toBe(200);
      expect(await post(port, '/in', body, { chunked: true })).toBe(200);
      expect(seen).toEqual([MAX_BODY_BYTES, MAX_BODY_BYTES]);
    });

    it('answers 413 to a body over the cap, declared or streamed, and the handler never runs', async () => {
      server = new HttpServer();
      let ran = 0;
      server.route('POST', '/in', (_req, res) => void (ran++, res.writeHead(200).end()));
      const port = await server.listen(0);
      const big = Buffer.alloc(MAX_BODY_BYTES + 1, 0x61);
      expect(await post(port, '/in', big)).toBe(413);
      expect(await post(port, '/in', Buffer.alloc(4 * MAX_BODY_BYTES, 0x61), { chunked: true })).toBe(413);
      expect(ran).toBe(0);
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    });

    it('caps the Telegram webhook even with the right secret; a normal update still gets through', async () => {
      const bot = new Bot('123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ', {
        botInfo: {
          id: 1,
          is_bot: true,
          first_name: 'L',
          username: 'l_bot',
          can_join_groups: true,
          can_read_all_group_messages: false,
          supports_inline_queries: false,
          can_connect_to_business: false,
          has_main_web_app: false,
          has_topics_enabled: false,
          allows_users_to_create_topics: false,
        } as never,
      });
      const handled: number[] = [];
      bot.on('message', (ctx) => void handled.push(ctx.update.update_id));
      server = new HttpServer();
      const secret = 'sixteen-chars-secret';
      server.route('POST', '/hook', webhookCallback(bot, 'http', { secretToken: secret }));
      const port = await server.listen(0);
      const update = (id: number, text: string) =>
        Buffer.from(
          JSON.stringify({
            update_id: id,
            message: {
              message_id: 1,
              date: 0,
              chat: { id: 5, type: 'private', first_name: 'A' },
              from: { id: 5, is_bot: false, first_name: 'A' },
              text,
            },
          }),
        );
      const headers = { 'x-telegram-bot-api-secret-token': secret };
      expect(await post(port, '/hook', update(1, 'hi'), { headers })).toBe(200);
      expect(await post(port, '/hook', update(2, 'x'.repeat(MAX_BODY_BYTES)), { headers })).toBe(413);
      expect(await post(port, '/hook', update(3, 'x'.repeat(MAX_BODY_BYTES)), { headers, chunked: true })).toBe(413);
      expect(handled).toEqual([1]);
    });
  });
});
