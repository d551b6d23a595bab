import { afterEach, describe, expect, it } from 'vitest';
import { HttpServer } from '../src/http.ts';

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
});
