/**
 * Downloads a file a person sent without ever holding more than a byte cap: a declared size over
 * the cap is refused before anything is fetched, and a download that grows past it (the declared
 * size lied, or there was none) is cut off. Whether a size is acceptable is the core's decision:
 * the result says only what was fetched or how large the file is known to be.
 */
import type { IncomingFile } from '../../core/incoming-file.ts';

/** The bytes, or how many bytes the file is known to have at least (over the cap; nothing is kept). */
export type CappedDownload = { ok: true; bytes: Uint8Array } | { ok: false; atLeastBytes: number };

/** The server answered with an error status (the URL is not in the message: it can hold a token). */
export class DownloadError extends Error {
  override name = 'DownloadError';
  constructor(
    readonly what: string,
    readonly status: number,
  ) {
    super(`${what} download failed with HTTP ${status}`);
  }
}

/** Options of downloadCapped. */
export interface CappedDownloadOptions {
  /** never read more than this many bytes (plus the chunk that crosses it) */
  maxBytes: number;
  /** the size the platform declares, if it does: over `maxBytes`, nothing is fetched */
  declaredBytes?: number | undefined;
  timeoutMs?: number;
  /** what is downloaded, for the error message ("attachment", "Telegram file") */
  what?: string;
}

/**
 * Fetches `url` with a byte cap.
 * @example await downloadCapped(a.url, { maxBytes: 10_000_000, declaredBytes: a.size }) // { ok: false, atLeastBytes: 50_000_000 } without a request
 */
export async function downloadCapped(url: string | URL, opts: CappedDownloadOptions): Promise<CappedDownload> {
  const { maxBytes } = opts;
  if (opts.declaredBytes !== undefined && opts.declaredBytes > maxBytes) return { ok: false, atLeastBytes: opts.declaredBytes };
  const res = await fetch(url, { signal: AbortSignal.timeout(opts.timeoutMs ?? 30_000) });
  if (!res.ok || !res.body) {
    await res.body?.cancel().catch(() => undefined);
    throw new DownloadError(opts.what ?? 'file', res.status);
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return { ok: false, atLeastBytes: total };
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.byteLength;
  }
  return { ok: true, bytes };
}

/**
 * The IncomingFile for the core: the bytes, or (when the file was not fetched in full) no bytes
 * and the size known, so the core answers with its own "too large" message.
 */
export function incomingFile(d: CappedDownload, meta: { declaredMime?: string | undefined; name?: string | undefined }): IncomingFile {
  return d.ok
    ? { bytes: d.bytes, declaredMime: meta.declaredMime, name: meta.name }
    : { bytes: new Uint8Array(0), declaredBytes: d.atLeastBytes, declaredMime: meta.declaredMime, name: meta.name };
}
