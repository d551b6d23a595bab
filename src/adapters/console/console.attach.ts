/**
 * "/attach <path>": the console's way to send an evidence image. A path that is missing, a
 * folder or unreadable gets its own clear message; "~/" means the home folder as in a shell.
 */
import { readFile, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import { t, type MessageKey } from '../../core/i18n/catalog.ts';
import type { Locale } from '../../core/i18n/locales.ts';
import type { IncomingFile } from '../../core/lantern.ts';
import type { Reply } from '../../core/reply.ts';

/** Stable codes of the console's attachment failures. */
export type AttachErrorCode = 'CONSOLE.ATTACH_USAGE' | 'CONSOLE.ATTACH_MISSING' | 'CONSOLE.ATTACH_FOLDER' | 'CONSOLE.ATTACH_UNREADABLE';

const KEYS: Record<AttachErrorCode, MessageKey> = {
  'CONSOLE.ATTACH_USAGE': 'console.attach_usage',
  'CONSOLE.ATTACH_MISSING': 'console.attach_missing',
  'CONSOLE.ATTACH_FOLDER': 'console.attach_folder',
  'CONSOLE.ATTACH_UNREADABLE': 'console.attach_unreadable',
};

/** The path as typed, without the quotes a terminal adds when a file is dropped on it. */
export function attachmentPath(typed: string, home = homedir()): string {
  let p = typed.trim();
  if (/^(['"]).*\1$/.test(p)) p = p.slice(1, -1);
  if (p === '~' || p.startsWith('~/')) p = path.join(home, p.slice(1));
  return p;
}

function failure(code: AttachErrorCode, locale: Locale, file: string): { ok: false; error: Reply } {
  return {
    ok: false,
    error: { private: true, kind: 'error', code, blocks: [{ type: 'text', text: t(locale, KEYS[code], { path: file }) }], citations: [] },
  };
}

/** Reads the file named after /attach, or explains why it cannot be sent. */
export async function readAttachment(
  typed: string,
  locale: Locale,
): Promise<{ ok: true; value: IncomingFile } | { ok: false; error: Reply }> {
  const file = attachmentPath(typed);
  if (!file) return failure('CONSOLE.ATTACH_USAGE', locale, file);
  try {
    const info = await stat(file);
    if (info.isDirectory()) return failure('CONSOLE.ATTACH_FOLDER', locale, file);
    return { ok: true, value: { bytes: new Uint8Array(await readFile(file)), name: path.basename(file) } };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return failure(code === 'ENOENT' || code === 'ENOTDIR' ? 'CONSOLE.ATTACH_MISSING' : 'CONSOLE.ATTACH_UNREADABLE', locale, file);
  }
}
