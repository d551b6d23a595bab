/**
 * The console's pieces in isolation: input units (a paste is one answer, "\" continues, piped
 * input line by line as before), wrapping and colour, Tab completion, /attach paths.
 */
import { createInterface } from 'node:readline';
import { PassThrough } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { inputUnits, PASTE_WINDOW_MS } from '../../../src/adapters/console/console.input.ts';
import { renderText } from '../../../src/adapters/console/render.ts';
import { attachmentPath, readAttachment } from '../../../src/adapters/console/console.attach.ts';
import { localeFromEnv } from '../../../src/adapters/console/console.adapter.ts';
import type { Reply } from '../../../src/core/reply.ts';

/** Feeds chunks (with pauses between them) and collects the units. */
async function unitsOf(chunks: string[], interactive: boolean): Promise<string[]> {
  const input = new PassThrough();
  const rl = createInterface({ input, terminal: false });
  const out: string[] = [];
  const done = (async () => {
    for await (const u of inputUnits(rl, { interactive })) out.push(u);
  })();
  for (const c of chunks) {
    input.write(c);
    await sleep(PASTE_WINDOW_MS * 4);
  }
  input.end();
  await done;
  return out;
}

describe('console input units', () => {
  it('takes a pasted multi-line description as one answer', async () => {
    expect(await unitsOf(['First line of what happened.\nSecond line.\nThird.\n', '/draft\n'], true)).toEqual([
      'First line of what happened.\nSecond line.\nThird.',
      '/draft',
    ]);
  });

  it('joins typed lines ending in "\\" into one answer', async () => {
    expect(await unitsOf(['He said my parents \\\n', 'would suffer.\n', 'next\n'], true)).toEqual([
      'He said my parents \nwould suffer.',
      'next',
    ]);
  });

  it('keeps a command line alone even when more lines follow in the same paste', async () => {
    expect(await unitsOf(['/lookup Prato\n/lookup Rome\n'], true)).toEqual(['/lookup Prato', '/lookup Rome']);
  });

  it('reads piped input exactly one line per unit, as before', async () => {
    expect(await unitsOf(['a\nb\\\nc\n'], false)).toEqual(['a', 'b\\', 'c']);
  });
});

const reply: Reply = {
  private: true,
  kind: 'answer',
  blocks: [
    { type: 'title', text: 'Reported stations' },
    { type: 'text', text: 'word '.repeat(40).trim(), cites: [1] },
    { type: 'item', title: 'Prato', lines: [{ text: 'long '.repeat(30).trim() }] },
  ],
  citations: [],
  files: [{ name: 'export.json', mime: 'application/json', bytes: new Uint8Array([1, 2]) }],
};

describe('console text', () => {
  it('wraps at the terminal width without splitting words, indenting item lines', () => {
    const text = renderText(reply, 'en', { width: 40 });
    const lines = text.split('\n');
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(40);
    expect(lines.every((l) => !/wor$|^ord/.test(l))).toBe(true);
    const item = lines.filter((l) => l.includes('long'));
    expect(item.length).toBeGreaterThan(2);
    expect(item.slice(1).every((l) => l.startsWith('    long'))).toBe(true);
    expect(
      renderText(reply, 'en')
        .split('\n')
        .some((l) => l.length > 150),
    ).toBe(true); // piped: unwrapped, as before
  });

  it('colours only when asked (a terminal)', () => {
    expect(renderText(reply, 'en', { color: true })).toContain('\x1b[1m== Reported stations ==');
    expect(renderText(reply, 'en', { color: false })).not.toContain('\x1b[');
  });

  it('prints the --save-files hint only when it was not given', () => {
    expect(renderText(reply, 'en')).toContain('Start with --save-files <dir>');
    const saved = renderText(reply, 'en', { savedTo: '/tmp/out' });
    expect(saved).not.toContain('Start with --save-files');
    expect(saved).toContain('written to /tmp/out');
  });
});

describe('/attach paths', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'lantern-attach-'));
  writeFileSync(path.join(dir, 'x.jpg'), Buffer.from([0xff, 0xd8, 0xff, 1, 2, 3, 4, 5]));

  it('reads "~/x.jpg" from the home folder and strips a dropped file’s quotes', () => {
    expect(attachmentPath('~/x.jpg', '/home/me')).toBe('/home/me/x.jpg');
    expect(attachmentPath(`'/a b/c.png'`)).toBe('/a b/c.png');
  });

  it('explains a missing path, a missing file and a folder, each in its own words', async () => {
    const codes = await Promise.all(
      ['', path.join(dir, 'nope.jpg'), dir].map(async (p) => (await readAttachment(p, 'en')) as { ok: false; error: Reply }),
    );
    expect(codes.map((c) => c.error.code)).toEqual(['CONSOLE.ATTACH_USAGE', 'CONSOLE.ATTACH_MISSING', 'CONSOLE.ATTACH_FOLDER']);
    expect(codes.map((c) => c.error.blocks[0]!.type === 'text' && c.error.blocks[0]!.text).join('\n')).not.toMatch(/damaged/);
    const ok = await readAttachment(path.join(dir, 'x.jpg'), 'en');
    expect(ok.ok && ok.value.bytes.byteLength).toBe(8);
  });

  it('reads the language from LC_ALL, LC_MESSAGES or LANG', () => {
    expect(localeFromEnv({ LANG: 'zh_TW.UTF-8' })).toBe('zh_TW');
    expect(localeFromEnv({ LANG: 'en_US.UTF-8', LC_ALL: 'zh_CN.UTF-8' })).toBe('zh_CN');
    expect(localeFromEnv({})).toBe(undefined);
  });
});
