/**
 * Downloads a file a person sent (evidence) through getFile and the Bot API's file endpoint,
 * never reading more than the configured maximum. The URL holds the bot token: it is never logged.
 */
import { GrammyError, type Api } from 'grammy';

/** getFile serves at most 20 MB to bots (Bot API, getFile); a larger file cannot be had at all. */
export const GET_FILE_MAX_BYTES = 20 * 1024 * 1024;

/** The file is over Telegram's 20 MB download limit: the person is told so, not given an apology. */
export class FileTooBigError extends Error {
  override name = 'FileTooBigError';
}

/** Telegram's answer to getFile for a file over 20 MB. */
const isTooBig = (e: unknown) => e instanceof GrammyError && e.error_code === 400 && /file is too big/i.test(e.description);

/** Telegram's public Bot API server (used when TELEGRAM_API_ROOT is not set). */
export const DEFAULT_API_ROOT = 'https://api.telegram.org';

/**
 * Bytes that stand for "larger than allowed" without downloading anything: one byte over the
 * limit, so the core answers with its own "too large" message. (A declared size on IncomingFile
 * would let the core say so without this; see the adapter's notes.)
 */
const overLimit = (maxBytes: number) => new Uint8Array(maxBytes + 1);

/** Fetches a file by id; at most maxBytes + 1 bytes are ever read. Throws FileTooBigError past Telegram's 20 MB. */
export async function downloadFile(api: Api, opts: { apiRoot: string | undefined; token: string; fileId: string; declaredSize: number | undefined; maxBytes: number; timeoutMs?: number }): Promise<Uint8Array> {
  const { maxBytes } = opts;
  if (opts.declaredSize !== undefined && opts.declaredSize > maxBytes) return overLimit(maxBytes);
  if (opts.declaredSize !== undefined && opts.declaredSize > GET_FILE_MAX_BYTES) throw new FileTooBigError('over 20 MB');
  const file = await api.getFile(opts.fileId).catch((e: unknown) => {
    throw isTooBig(e) ? new FileTooBigError('getFile: file is too big') : e;
  });
  if (file.file_size !== undefined && file.file_size > maxBytes) return overLimit(maxBytes);
  if (!file.file_path) throw new Error('Telegram returned no file_path (bots cannot download files over 20 MB)');
  const root = (opts.apiRoot ?? DEFAULT_API_ROOT).replace(/\/+$/, '');
  const res = await fetch(`${root}/file/bot${opts.token}/${file.file_path}`, { signal: AbortSignal.timeout(opts.timeoutMs ?? 60_000) });
  if (!res.ok || !res.body) throw new Error(`Telegram file download failed with HTTP ${res.status}`);
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      return overLimit(maxBytes);
    }
  }
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.byteLength;
  }
  return bytes;
}
