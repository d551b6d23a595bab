/**
 * The logger: pino, to stderr (stdout belongs to the console adapter), with every field that
 * could carry report content, identities or secrets redacted, wherever it sits in the object.
 * On a terminal (outside production) lines are human-readable; elsewhere one JSON object a line.
 */
import pino from 'pino';
import pretty from 'pino-pretty';

/** Field names that never reach a log line in clear. */
export const REDACTED_FIELDS = [
  'text', 'what', 'where', 'when', 'contact', 'note', 'notes', 'report', 'payload', 'answer', 'input', 'args', 'raw',
  'userId', 'user_id', 'chatId', 'chat_id', 'username', 'from', 'user', 'member', 'author', 'receipt', 'code',
  'token', 'authorization', 'secret', 'password', 'key', 'keys', 'databaseUrl', 'DATABASE_URL',
];

/** How log lines look: `pretty` for a person at a terminal, `json` for collectors. */
export type LogFormat = 'pretty' | 'json';

/** Pretty on a terminal unless in production (a collector may read a TTY there); JSON otherwise. */
export function logFormatFor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): LogFormat {
  if (env.LOG_FORMAT === 'json' || env.LOG_FORMAT === 'pretty') return env.LOG_FORMAT;
  return stream.isTTY && env.NODE_ENV !== 'production' ? 'pretty' : 'json';
}

/** Creates the process logger. Redaction runs before formatting, so both formats are redacted. */
export function createLogger(level: string, destination: pino.DestinationStream | number = 2, format: LogFormat = 'json'): pino.Logger {
  const paths = REDACTED_FIELDS.flatMap((f) => [f, `*.${f}`, `*.*.${f}`]);
  const options = { level, redact: { paths, censor: '[redacted]' }, base: { app: 'lantern' } };
  if (format === 'pretty') {
    // In-process and synchronous (not a worker transport): a line is on screen before the next prompt.
    const colorize = typeof destination === 'number' && !process.env.NO_COLOR;
    return pino(options, pretty({ destination, sync: true, colorize, ignore: 'pid,hostname,app', translateTime: 'SYS:HH:MM:ss' }));
  }
  return pino(options, typeof destination === 'number' ? pino.destination({ fd: destination, sync: true }) : destination);
}
