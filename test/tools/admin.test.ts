/**
 * The admin tool's mistakes said plainly (issue #16): an unknown command is named, a missing file
 * name is asked for, and an image given to dataset-import is refused without printing its bytes.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { admin } from '../../src/tools/admin.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'lantern-admin-'));
process.env.LANTERN_DATA_DIR = path.join(dir, 'data'); // should a command get as far as the database
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(argv: string[]): Promise<{ code: number | string; out: string }> {
  const lines: string[] = [];
  try {
    return { code: await admin(argv, (s) => lines.push(s)), out: lines.join('\n') };
  } catch (e) {
    return { code: 'threw', out: [...lines, (e as Error).message].join('\n') };
  }
}

describe('admin mistakes', () => {
  it('names an unknown command before the usage', async () => {
    const r = await run(['bogus']);
    expect(r.code).toBe(2);
    expect(r.out.split('\n')[0]).toBe('admin: unknown command "bogus".');
    expect(r.out).toContain('Usage: npm run admin');
  });

  it('asks for the file name dataset-import and dataset-export need', async () => {
    const r = await run(['dataset-import']);
    expect(r.code).toBe(2);
    expect(r.out).toContain('dataset-import needs a file name');
  });

  it('refuses an image given to dataset-import, printing none of its bytes', async () => {
    const photo = path.join(dir, 'photo.jpg');
    writeFileSync(photo, Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]), Buffer.from('JFIF\u0000\u0001\u0002\u001b[31m')]));
    const r = await run(['dataset-import', photo]);
    expect(r.code).toBe('threw');
    expect(r.out).toContain('is not a JSON dataset file');
    expect(r.out).toContain('binary data, such as an image');
    // eslint-disable-next-line no-control-regex -- no control character may reach the terminal
    expect(r.out).not.toMatch(/[\u0000-\u0008\u001b\ufffd]|JFIF/);
  });
});
