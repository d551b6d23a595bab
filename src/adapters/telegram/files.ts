/**
 * Downloads a file a person sent (evidence) through getFile and the Bot API's file endpoint,
 * never reading more than the configured maximum. The URL holds the bot token: it is never logged.
 */
import { GrammyError, type Api } from 'grammy';
import { downloadCapped, type CappedDownload } from '../kit/capped-download.ts';

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
 * Fetches a file by id with maxBytes as the cap: over it (declared by the update, by getFile, or
 * seen while downloading), nothing is kept and the size is returned for the core to refuse.
 * Throws FileTooBigError past Telegram's 20 MB.
 */
export async function downloadFile(
  api: Api,
  opts: {
    apiRoot: string | undefined;
    token: string;
    fileId: string;
    declaredSize: number | undefined;
    maxBytes: number;
    timeoutMs?: number;
  },
): Promise<CappedDownload> {
  const { maxBytes } = opts;
  if (opts.declaredSize !== undefined && opts.declaredSize > maxBytes) return { ok: false, atLeastBytes: opts.declaredSize };
  if (opts.declaredSize !== undefined && opts.declaredSize > GET_FILE_MAX_BYTES) throw new FileTooBigError('over 20 MB');
  const file = await api.getFile(opts.fileId).catch((e: unknown) => {
    throw isTooBig(e) ? new FileTooBigError('getFile: file is too big') : e;
  });
  if (file.file_size !== undefined && file.file_size > maxBytes) return { ok: false, atLeastBytes: file.file_size };
  if (!file.file_path) throw new Error('Telegram returned no file_path (bots cannot download files over 20 MB)');
  const root = (opts.apiRoot ?? DEFAULT_API_ROOT).replace(/\/+$/, '');
  return downloadCapped(`${root}/file/bot${opts.token}/${file.file_path}`, {
    maxBytes,
    timeoutMs: opts.timeoutMs ?? 60_000,
    what: 'Telegram file',
  });
}
