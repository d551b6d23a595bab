import { describe, expect, it } from 'vitest';
import { allCommands } from '../../../commands/index.ts';
import { t } from '../../../src/core/i18n/catalog.ts';
import { fileTooLarge, type IncomingFile } from '../../../src/core/incoming-file.ts';
import { Lantern } from '../../../src/core/lantern.ts';
import { choice, textOf } from '../../support/intake-driver.ts';
import { contextFor, memoryDeps } from '../../support/memory.ts';
import { fileEcho } from '../../support/file-echo.ts';

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
/** A file the adapter did not download: the platform said it is 50 MB. */
const undownloaded: IncomingFile = { bytes: new Uint8Array(0), declaredBytes: 50_000_000, declaredMime: 'image/png', name: 'big.png' };
const lantern = new Lantern([...allCommands, fileEcho]);

/** Memory deps whose image cleaner counts what it is given (a refused file must never reach it). */
function counted() {
  const m = memoryDeps();
  const images = m.deps.intake!.images;
  const seen: number[] = [];
  m.deps.intake!.images = { clean: (b) => (seen.push(b.byteLength), images.clean(b)) };
  return { ...m, seen };
}

/** A report in progress, at the evidence step. */
async function atEvidence(ctx: ReturnType<typeof contextFor>) {
  let r = await lantern.command('report', {}, ctx);
  r = await lantern.choice(choice(r, 'cat:surveillance'), ctx);
  r = await lantern.text('2026-03', ctx);
  r = await lantern.text('Prato', ctx);
  if (r.choices?.some((c) => /:st:0$/.test(c.id))) r = await lantern.choice(choice(r, 'st:0'), ctx);
  return lantern.text('A man photographs everyone who enters.', ctx);
}

describe('a file refused by its declared size', () => {
  it('is over the limit by its bytes or its declared size, whichever is larger', () => {
    expect(fileTooLarge({ bytes: new Uint8Array(10) }, 10)).toBeUndefined();
    expect(fileTooLarge({ bytes: new Uint8Array(11) }, 10)?.code).toBe('REPORT.FILE_TOO_LARGE');
    expect(fileTooLarge({ bytes: new Uint8Array(0), declaredBytes: 11 }, 10)?.code).toBe('REPORT.FILE_TOO_LARGE');
    expect(fileTooLarge(undownloaded, 10_000_000)).toEqual({ code: 'REPORT.FILE_TOO_LARGE', params: { mb: 10 } });
  });

  it('is refused at the evidence step with the core’s message, never cleaned, and the report goes on', async () => {
    const { deps, seen } = counted();
    const ctx = contextFor(deps);
    const step = await atEvidence(ctx);
    expect(step.acceptsFile).toBe(true);
    const refused = await lantern.file(undownloaded, ctx);
    expect(refused.code).toBe('REPORT.FILE_TOO_LARGE');
    expect(textOf(refused)).toContain(t('en', 'error.file_too_large', { mb: 1 }));
    expect(seen).toEqual([]);
    const taken = await lantern.file({ bytes: PNG }, ctx);
    expect(taken.kind).toBe('answer');
    expect(seen).toEqual([PNG.byteLength]);
  });

  it('is refused as a command option before the command runs', async () => {
    const { deps } = memoryDeps();
    const ctx = contextFor(deps, { chat: 'public' });
    const refused = await lantern.command('file_echo', { file: undownloaded }, ctx);
    expect(refused).toEqual({
      private: true,
      kind: 'error',
      code: 'REPORT.FILE_TOO_LARGE',
      blocks: [{ type: 'text', text: t('en', 'error.file_too_large', { mb: 1 }) }],
      citations: [],
    });
    expect(textOf(await lantern.command('file_echo', { file: { bytes: PNG, name: 'small.png' } }, ctx))).toBe(
      `received ${PNG.byteLength} bytes named small.png`,
    );
  });
});
