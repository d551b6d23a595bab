/** The evidence cleaner: the allow-list is checked on the magic bytes before sharp parses anything. */
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { sharpImageCleaner, sniffImage } from '../../src/media/image-cleaner.ts';

/** The real sharp, counting how often the cleaner hands it bytes. */
function countingSharp() {
  const calls = { n: 0 };
  const decode = ((...args: Parameters<typeof sharp>) => (calls.n++, sharp(...args))) as typeof sharp;
  return { calls, decode };
}

const base = () => sharp({ create: { width: 4, height: 4, channels: 3, background: 'red' } });

describe('image cleaner', () => {
  it('never hands sharp a format outside the allow-list (TIFF, GIF, SVG, PDF, HEIF-like, empty)', async () => {
    const others: Record<string, Uint8Array> = {
      tiff: new Uint8Array(await base().tiff().toBuffer()),
      gif: new Uint8Array(await base().gif().toBuffer()),
      svg: new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><rect width="4" height="4"/></svg>'),
      pdf: new TextEncoder().encode('%PDF-1.7\n1 0 obj\n'),
      heif: new Uint8Array([0, 0, 0, 0x18, 0x66, 0x74, 0x79, 0x70, 0x68, 0x65, 0x69, 0x63]),
      riffNotWebp: new TextEncoder().encode('RIFF\u0000\u0000\u0000\u0000WAVEfmt '),
      empty: new Uint8Array(),
    };
    for (const [name, bytes] of Object.entries(others)) {
      const { calls, decode } = countingSharp();
      expect(await sharpImageCleaner(40_000_000, decode).clean(bytes), name).toEqual({ ok: false, reason: 'type' });
      expect(calls.n, name).toBe(0);
    }
  });

  it('cleans JPEG, PNG and WebP (sharp parses them, the type is kept)', async () => {
    for (const [fmt, mime] of [
      ['jpeg', 'image/jpeg'],
      ['png', 'image/png'],
      ['webp', 'image/webp'],
    ] as const) {
      const bytes = new Uint8Array(await base().toFormat(fmt).toBuffer());
      expect(sniffImage(bytes)).toBe(fmt);
      const { calls, decode } = countingSharp();
      const r = await sharpImageCleaner(40_000_000, decode).clean(bytes);
      expect(r.ok && r.mime).toBe(mime);
      expect(calls.n).toBeGreaterThan(0);
    }
  });

  it('refuses a file whose signature and content disagree (a PNG signature on a TIFF)', async () => {
    const tiff = Buffer.from(await base().tiff().toBuffer());
    const disguised = new Uint8Array(Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), tiff]));
    const r = await sharpImageCleaner().clean(disguised);
    expect(r.ok).toBe(false);
  });
});
