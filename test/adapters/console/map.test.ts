/**
 * /map on the console (the real entry point, piped stdin): written with --save-files and said
 * where, else a line saying how; --json summarises the picture without its bytes.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { fromTemplate } from '../../support/data-dir-template.ts';
import { MAIN } from '../../support/entry.ts';

const dataDir = mkdtempSync(path.join(tmpdir(), 'lantern-console-map-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function start(lines: string[], args: string[] = []): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve) => {
    fromTemplate(dataDir); // a working bot, not a first start
    const child = spawn(process.execPath, [...MAIN, ...args], {
      env: { ...process.env, LANTERN_DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.on('exit', (code) => resolve({ code, stdout }));
    child.stdin.end(lines.join('\n') + '\n');
  });
}

describe('console /map', () => {
  it('writes the maps with --save-files and says where; the PNGs decode', async () => {
    const out = path.join(dataDir, 'maps');
    const r = await start(['/map', '/map Italy', '/map 多伦多'], ['--save-files', out]);
    expect(r.code).toBe(0);
    const written = [...r.stdout.matchAll(/^Map image written to (.+)$/gm)].map((m) => m[1]!);
    expect(written).toEqual(
      ['lantern-map-world.png', 'lantern-map-country-IT.png', 'lantern-map-city-ca-toronto-1-ca-toronto-2-ca-toronto-3.png'].map((n) =>
        path.resolve(out, n),
      ),
    );
    for (const file of written) {
      expect(await sharp(file).metadata()).toMatchObject({ format: 'png', width: 1024, height: 640 });
      expect(statSync(file).mode & 0o777).toBe(0o600);
    }
    expect(r.stdout).toContain('# On the map');
    expect(r.stdout).toMatch(/1 · Toronto, Canada \(3 stations\) — reported \(c\. 2022-09\) \[1\]/);
  }, 240_000); // a first start (migrations, dataset) and three cold renders on a busy machine

  it('without --save-files says how to get the picture, and --json holds no bytes', async () => {
    const text = await start(['/map Italy']);
    expect(text.stdout).toMatch(/^Map image lantern-map-country-IT\.png \(\d+ bytes\)\. Start with --save-files <dir> to write it\.$/m);
    const json = await start(['/map Italy'], ['--json']);
    const reply = JSON.parse(json.stdout.trim()) as { image: Record<string, unknown> };
    expect(reply.image).toMatchObject({
      name: 'lantern-map-country-IT.png',
      mime: 'image/png',
      width: 1024,
      height: 640,
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(json.stdout.length).toBeLessThan(20_000);
  });
});
