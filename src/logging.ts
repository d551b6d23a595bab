/**
 * The logger: pino, to stderr (stdout belongs to the console adapter), with every field that
 * could carry report content, identities or secrets redacted, wherever it sits in the object.
 */
import pino from 'pino';

/** Field names that never reach a log line in clear. */
export const REDACTED_FIELDS = [
  'text', 'what', 'where', 'when', 'contact', 'note', 'notes', 'report', 'payload', 'answer', 'input', 'args', 'raw',
  'userId', 'user_id', 'chatId', 'chat_id', 'username', 'from', 'user', 'member', 'author', 'receipt', 'code',
  'token', 'authorization', 'secret', 'password', 'key', 'keys', 'databaseUrl', 'DATABASE_URL',
];

/** Creates the process logger. */
export function createLogger(level: string, destination: pino.DestinationStream | number = 2): pino.Logger {
  const paths = REDACTED_FIELDS.flatMap((f) => [f, `*.${f}`, `*.*.${f}`]);
  return pino(
    { level, redact: { paths, censor: '[redacted]' }, base: { app: 'lantern' } },
    typeof destination === 'number' ? pino.destination({ fd: destination, sync: true }) : destination,
  );
}
