/**
 * Evidence images through sharp: the real format is read from the bytes (not the file name or
 * the platform's claim), only JPEG/PNG/WebP pass, EXIF/GPS/XMP/ICC metadata is dropped by
 * re-encoding (sharp keeps none unless asked), and decompression bombs are refused. The magic
 * bytes are checked against the allow-list first, so sharp's many parsers (SVG, TIFF, GIF, HEIF,
 * PDF…) never see anything else.
 */
import type sharp from 'sharp';
import type { CleanImage, ImageCleaner } from '../core/intake/intake.ports.ts';

const FORMATS = { jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp' } as const;

const starts = (b: Uint8Array, at: number, sig: number[]) => sig.every((x, i) => b[at + i] === x);

/** The allowed format the bytes begin with (JPEG, PNG, WebP signatures), or null. */
export function sniffImage(b: Uint8Array): keyof typeof FORMATS | null {
  if (starts(b, 0, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (starts(b, 0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  // RIFF....WEBP
  if (starts(b, 0, [0x52, 0x49, 0x46, 0x46]) && starts(b, 8, [0x57, 0x45, 0x42, 0x50])) return 'webp';
  return null;
}

// sharp (libvips, ~25 MB) is loaded with the first image, not at start: most runs never see one.
let loaded: Promise<typeof sharp> | undefined;
const loadSharp = () => (loaded ??= import('sharp').then((m) => m.default));

/** The sharp-based ImageCleaner (`decode` defaults to sharp itself; a test may count its calls). */
export function sharpImageCleaner(maxPixels = 40_000_000, given?: typeof sharp): ImageCleaner {
  return {
    async clean(input: Uint8Array): Promise<CleanImage> {
      const sniffed = sniffImage(input);
      if (!sniffed) return { ok: false, reason: 'type' };
      const decode = given ?? (await loadSharp());
      let format: string | undefined;
      try {
        format = (await decode(input, { limitInputPixels: maxPixels }).metadata()).format;
      } catch (e) {
        return {
          ok: false,
          reason: /pixel limit/i.test((e as Error).message)
            ? 'too-large'
            : /unsupported image format/i.test((e as Error).message)
              ? 'type'
              : 'corrupt',
        };
      }
      // The parsed format must be the one the signature announced.
      if (format !== sniffed) return { ok: false, reason: 'type' };
      try {
        // rotate() applies the EXIF orientation before the EXIF block is dropped.
        const out = await decode(input, { limitInputPixels: maxPixels, failOn: 'error' }).rotate().toFormat(sniffed).toBuffer();
        return { ok: true, bytes: new Uint8Array(out), mime: FORMATS[sniffed] };
      } catch (e) {
        return { ok: false, reason: /pixel limit/i.test((e as Error).message) ? 'too-large' : 'corrupt' };
      }
    },
  };
}
