/**
 * The logger: pino, to stderr (stdout belongs to the console adapter), with every field that
 * could carry report content, identities or secrets redacted, wherever it sits in the object.
 * On a terminal (outside production) lines are human-readable; elsewhere one JSON object a line.
 */
import pino from 'pino';
import pretty from 'pino-pretty';
import { looksLikeReceipt } from './core/intake/receipts.ts';

/** Field names that never reach a log line in clear. */
export const REDACTED_FIELDS = [
  'text',
  'what',
  'where',
  'when',
  'contact',
  'note',
  'notes',
  'payload',
  'answer',
  'input',
  'args',
  'raw',
  'userId',
  'user_id',
  'chatId',
  'chat_id',
  'username',
  'from',
  'user',
  'member',
  'author',
  'receipt',
  'receiptCode',
  'token',
  'authorization',
  'secret',
  'password',
  'key',
  'keys',
  'databaseUrl',
  'DATABASE_URL',
];

/**
 * Field names that are diagnostics in the code's own log calls, kept in clear only while their
 * value has the harmless shape; anything else under that name (a whole report object, a string
 * that could be a receipt) is redacted like the fields above.
 * - `report`: a public report id ("R-7K2M9Q"), a label for the team, not a secret (receipts.ts).
 * - `code`: an error code: Telegram's numeric `error_code`, an errno/SQLSTATE or a core code
 *   ("ECONNRESET", "53100", "REPORT.NO_DRAFT") — never a receipt code's 20 characters.
 */
export const GUARDED_FIELDS: Readonly<Record<string, (value: unknown) => boolean>> = {
  report: (v) => typeof v === 'string' && /^R-[0-9A-HJKMNP-TV-Z]{6}$/.test(v),
  code: (v) =>
    (typeof v === 'number' && Number.isInteger(v)) ||
    (typeof v === 'string' && /^[A-Z0-9_]{1,32}(\.[A-Z0-9_]{1,32}){0,3}$/.test(v) && !looksLikeReceipt(v)),
};

const CENSOR = '[redacted]';

/** How log lines look: `pretty` for a person at a terminal, `json` for collectors. */
export type LogFormat = 'pretty' | 'json';

/** Pretty on a terminal unless in production (a collector may read a TTY there); JSON otherwise. */
export function logFormatFor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): LogFormat {
  if (env.LOG_FORMAT === 'json' || env.LOG_FORMAT === 'pretty') return env.LOG_FORMAT;
  return stream.isTTY && env.NODE_ENV !== 'production' ? 'pretty' : 'json';
}

/** Creates the process logger. Redaction runs before formatting, so both formats are redacted. */
export function createLogger(level: string, destination: pino.DestinationStream | number = 2, format: LogFormat = 'json'): pino.Logger {
  const paths = [...REDACTED_FIELDS, ...Object.keys(GUARDED_FIELDS)].flatMap((f) => [f, `*.${f}`, `*.*.${f}`]);
  const censor = (value: unknown, path: string[]): unknown => {
    const keep = GUARDED_FIELDS[path[path.length - 1] ?? ''];
    return keep?.(value) ? value : CENSOR;
  };
  const options = { level, redact: { paths, censor }, base: { app: 'lantern' } };
  if (format === 'pretty') {
    // In-process and synchronous (not a worker transport): a line is on screen before the next prompt.
    const colorize = typeof destination === 'number' && !process.env.NO_COLOR;
    return pino(options, pretty({ destination, sync: true, colorize, ignore: 'pid,hostname,app', translateTime: 'SYS:HH:MM:ss' }));
  }
  return pino(options, typeof destination === 'number' ? pino.destination({ fd: destination, sync: true }) : destination);
}
