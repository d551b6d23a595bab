/**
 * Evidence images through sharp: the real format is read from the bytes (not the file name or
 * the platform's claim), only JPEG/PNG/WebP pass, EXIF/GPS/XMP/ICC metadata is dropped by
 * re-encoding (sharp keeps none unless asked), and decompression bombs are refused.
 */
import sharp from 'sharp';
import type { CleanImage, ImageCleaner } from '../core/intake/intake.ports.ts';

const FORMATS = { jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp' } as const;

/** The sharp-based ImageCleaner. */
export function sharpImageCleaner(maxPixels = 40_000_000): ImageCleaner {
  return {
    async clean(input: Uint8Array): Promise<CleanImage> {
      let format: string | undefined;
      try {
        format = (await sharp(input, { limitInputPixels: maxPixels }).metadata()).format;
      } catch (e) {
        return { ok: false, reason: /pixel limit/i.test((e as Error).message) ? 'too-large' : /unsupported image format/i.test((e as Error).message) ? 'type' : 'corrupt' };
      }
      if (format !== 'jpeg' && format !== 'png' && format !== 'webp') return { ok: false, reason: 'type' };
      try {
        // rotate() applies the EXIF orientation before the EXIF block is dropped.
        const out = await sharp(input, { limitInputPixels: maxPixels, failOn: 'error' }).rotate().toFormat(format).toBuffer();
        return { ok: true, bytes: new Uint8Array(out), mime: FORMATS[format] };
      } catch (e) {
        return { ok: false, reason: /pixel limit/i.test((e as Error).message) ? 'too-large' : 'corrupt' };
      }
    },
  };
}
