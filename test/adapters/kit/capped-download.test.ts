import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DownloadError, downloadCapped, incomingFile } from '../../../src/adapters/kit/capped-download.ts';

/** A local file server counting requests per path; /missing answers 404, /big-<n> streams n bytes in 64 KiB chunks. */
let server: Server;
let root = '';
const requests = new Map<string, number>();

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = req.url ?? '/';
    requests.set(path, (requests.get(path) ?? 0) + 1);
    const size = /^\/big-(\d+)$/.exec(path)?.[1];
    if (!size) return void res.writeHead(404).end('no such file');
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    let left = Number(size);
    const chunk = Buffer.alloc(64 * 1024, 7);
    const pump = () => {
      while (left > 0) {
        const part = chunk.subarray(0, Math.min(left, chunk.length));
        left -= part.length;
        if (!res.write(part)) return void res.once('drain', pump);
      }
      res.end();
    };
    pump();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  root = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('downloadCapped', () => {
  it('downloads a file that fits, whole', async () => {
    const d = await downloadCapped(`${root}/big-200000`, { maxBytes: 1_000_000, declaredBytes: 200_000 });
    expect(d.ok && d.bytes.byteLength).toBe(200_000);
    expect(d.ok && d.bytes.every((b) => b === 7)).toBe(true);
  });

  it('refuses a declared size over the cap without asking the server at all', async () => {
    const d = await downloadCapped(`${root}/big-10`, { maxBytes: 1_000, declaredBytes: 50_000_000 });
    expect(d).toEqual({ ok: false, atLeastBytes: 50_000_000 });
    expect(requests.get('/big-10')).toBeUndefined();
  });

  it('stops reading once a file grows past the cap (a declared size that lied, or none)', async () => {
    const d = await downloadCapped(`${root}/big-5000000`, { maxBytes: 100_000, declaredBytes: 1_000 });
    expect(d.ok).toBe(false);
    if (!d.ok) {
      expect(d.atLeastBytes).toBeGreaterThan(100_000);
      expect(d.atLeastBytes).toBeLessThan(5_000_000);
    }
  });

  it('fails on an error status with the status, never the URL (it can hold a token)', async () => {
    const e = await downloadCapped(`${root}/missing?token=SECRET`, { maxBytes: 1_000, what: 'attachment' }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(DownloadError);
    expect((e as DownloadError).status).toBe(404);
    expect((e as Error).message).toBe('attachment download failed with HTTP 404');
  });
});

describe('incomingFile', () => {
  it('carries the bytes, or no bytes and the size known, for the core to refuse', () => {
    expect(incomingFile({ ok: true, bytes: new Uint8Array(3) }, { declaredMime: 'image/png', name: 'a.png' })).toEqual({
      bytes: new Uint8Array(3),
      declaredMime: 'image/png',
      name: 'a.png',
    });
    expect(incomingFile({ ok: false, atLeastBytes: 9 }, { declaredMime: undefined, name: 'b' })).toEqual({
      bytes: new Uint8Array(0),
      declaredBytes: 9,
      declaredMime: undefined,
      name: 'b',
    });
  });
});
