/**
 * The environment, read once and validated with zod. A bad value stops the start with one clear
 * line naming the variable and how to fix it (exit code 2), never a stack trace.
 */
import path from 'node:path';
import { z } from 'zod';
import { LOCALES } from './core/i18n/locales.ts';
import { isAgeRecipient } from './core/triage/export.age.ts';

const csv = z
  .string()
  .optional()
  .transform((s) =>
    s
      ? s
          .split(',')
          .map((x) => x.trim())
          .filter(Boolean)
      : [],
  );

const id = z.string().regex(/^-?\d{1,20}$/, 'must be a numeric id');

const Env = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LANTERN_DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\/[^\s]+$/, 'must look like postgresql://user:password@host:5432/database')
    .refine((u) => URL.canParse(u), 'is not a valid URL (percent-encode special characters in the password)')
    .optional(),
  LANTERN_DEFAULT_LOCALE: z.enum(LOCALES).default('en'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** "id:base64key[,id:base64key…]", the first one seals new data; the others only open old data. */
  LANTERN_ENCRYPTION_KEYS: z
    .string()
    .regex(
      /^[A-Za-z0-9_-]{1,32}:[A-Za-z0-9+/=]{43,44}(,[A-Za-z0-9_-]{1,32}:[A-Za-z0-9+/=]{43,44})*$/,
      'must be "keyid:<32 bytes in base64>[,keyid:…]" (generate one with: npm run admin -- new-key)',
    )
    .optional(),
  /** base64 32-byte key for the keyed hashes of people (never rotate it: it would unlink existing reports). */
  LANTERN_HASH_KEY: z
    .string()
    .regex(/^[A-Za-z0-9+/=]{43,44}$/, 'must be 32 bytes in base64 (generate one with: npm run admin -- new-key)')
    .optional(),
  /** a JSON file { "encryptionKeys": "…", "hashKey": "…" } outside the data directory */
  LANTERN_KEYS_FILE: z.string().min(1).optional(),
  /** set by systemd for LoadCredential=/SetCredentialEncrypted=: files lantern-encryption-keys, lantern-hash-key */
  CREDENTIALS_DIRECTORY: z.string().min(1).optional(),
  REPORT_RATE_LIMIT_PER_HOUR: z.coerce.number().int().min(1).max(1000).default(5),
  REPORT_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(180),
  DRAFT_TTL_MINUTES: z.coerce
    .number()
    .int()
    .min(5)
    .max(60 * 24 * 14)
    .default(60 * 24),
  EVIDENCE_MAX_BYTES: z.coerce.number().int().min(10_000).max(50_000_000).default(10_000_000),
  HTTP_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  /** the address HTTP listens on: loopback unless the operator opens it (0.0.0.0, ::) */
  HTTP_HOST: z
    .string()
    .regex(/^[0-9A-Za-z.:-]{1,253}$/, 'must be an IP address or host name, e.g. 127.0.0.1 or 0.0.0.0')
    .default('127.0.0.1'),
  /** comma-separated age public keys exports are encrypted to */
  LANTERN_EXPORT_RECIPIENTS: csv.pipe(
    z.array(z.string().refine(isAgeRecipient, 'must be age public keys (age1…, from age-keygen), comma-separated')),
  ),
  /** seconds before a decrypted triage view is deleted from the member's chat (0: never) */
  DECRYPTED_VIEW_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(0)
    .max(47 * 3600)
    .default(600),

  TELEGRAM_BOT_TOKEN: z
    .string()
    .regex(/^\d+:[A-Za-z0-9_-]{20,}$/, 'must be the token BotFather gave you, like 123456:ABC-DEF…')
    .optional(),
  TELEGRAM_API_ROOT: z.string().url().optional(),
  TELEGRAM_WEBHOOK_URL: z.string().url().startsWith('https://', 'must be an https:// URL (Telegram only calls https webhooks)').optional(),
  TELEGRAM_WEBHOOK_SECRET: z
    .string()
    .regex(/^[A-Za-z0-9_-]{16,256}$/, 'must be 16-256 characters of A-Z a-z 0-9 _ -')
    .optional(),
  TELEGRAM_TRIAGE_CHAT_ID: id.optional(),
  /** the forum topic of the triage group notices go to (without it, a forum's General) */
  TELEGRAM_TRIAGE_TOPIC_ID: z
    .string()
    .regex(/^\d{1,12}$/, 'must be the numeric message_thread_id of the topic')
    .optional(),
  /** the team's leads (everything); reviewers are listed apart */
  TELEGRAM_TRIAGE_USER_IDS: csv.pipe(z.array(id)),
  TELEGRAM_TRIAGE_REVIEWER_IDS: csv.pipe(z.array(id)),

  DISCORD_TOKEN: z.string().min(20, 'must be the bot token from the Discord developer portal').optional(),
  DISCORD_APPLICATION_ID: id.optional(),
  DISCORD_API_ROOT: z.string().url().optional(),
  DISCORD_TRIAGE_GUILD_ID: id.optional(),
  /** roles whose members are leads; reviewers' roles apart */
  DISCORD_TRIAGE_ROLE_IDS: csv.pipe(z.array(id)),
  DISCORD_TRIAGE_REVIEWER_ROLE_IDS: csv.pipe(z.array(id)),
  DISCORD_TRIAGE_CHANNEL_ID: id.optional(),
});

export type Config = ReturnType<typeof toConfig>;

function toConfig(e: z.infer<typeof Env>) {
  return {
    production: e.NODE_ENV === 'production',
    dataDir: path.resolve(e.LANTERN_DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    defaultLocale: e.LANTERN_DEFAULT_LOCALE,
    logLevel: e.LOG_LEVEL,
    encryptionKeys: e.LANTERN_ENCRYPTION_KEYS,
    hashKey: e.LANTERN_HASH_KEY,
    keysFile: e.LANTERN_KEYS_FILE ? path.resolve(e.LANTERN_KEYS_FILE) : undefined,
    credentialsDir: e.CREDENTIALS_DIRECTORY,
    reports: {
      ratePerHour: e.REPORT_RATE_LIMIT_PER_HOUR,
      retentionDays: e.REPORT_RETENTION_DAYS,
      draftTtlMinutes: e.DRAFT_TTL_MINUTES,
      evidenceMaxBytes: e.EVIDENCE_MAX_BYTES,
    },
    httpPort: e.HTTP_PORT,
    httpHost: e.HTTP_HOST,
    exports: { recipients: e.LANTERN_EXPORT_RECIPIENTS, deleteDecryptedAfterSeconds: e.DECRYPTED_VIEW_TTL_SECONDS },
    telegram: e.TELEGRAM_BOT_TOKEN
      ? {
          token: e.TELEGRAM_BOT_TOKEN,
          apiRoot: e.TELEGRAM_API_ROOT,
          webhookUrl: e.TELEGRAM_WEBHOOK_URL,
          webhookSecret: e.TELEGRAM_WEBHOOK_SECRET,
          triageChatId: e.TELEGRAM_TRIAGE_CHAT_ID,
          triageTopicId: e.TELEGRAM_TRIAGE_TOPIC_ID === undefined ? undefined : Number(e.TELEGRAM_TRIAGE_TOPIC_ID),
          triageUserIds: e.TELEGRAM_TRIAGE_USER_IDS,
          triageReviewerIds: e.TELEGRAM_TRIAGE_REVIEWER_IDS,
        }
      : undefined,
    discord: e.DISCORD_TOKEN
      ? {
          token: e.DISCORD_TOKEN,
          applicationId: e.DISCORD_APPLICATION_ID,
          apiRoot: e.DISCORD_API_ROOT,
          triageGuildId: e.DISCORD_TRIAGE_GUILD_ID,
          triageRoleIds: e.DISCORD_TRIAGE_ROLE_IDS,
          triageReviewerRoleIds: e.DISCORD_TRIAGE_REVIEWER_ROLE_IDS,
          triageChannelId: e.DISCORD_TRIAGE_CHANNEL_ID,
        }
      : undefined,
  };
}

/** A configuration problem, already phrased for the operator. */
export class ConfigError extends Error {}

/** Reads and validates the environment; throws ConfigError with one line per bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // Empty strings mean "not set": that is how `VAR= npm start` and most .env files say it.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = Env.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => {
      const name = String(i.path[0] ?? 'environment');
      const shown = /TOKEN|KEY|SECRET|DATABASE_URL|_IDS?$/.test(name) ? '' : ` (got "${String(cleaned[name]).slice(0, 60)}")`;
      return `${name} ${i.message}${shown}`;
    });
    throw new ConfigError(`Invalid configuration: ${lines.join('; ')}`);
  }
  const e = parsed.data;
  if (e.DISCORD_TOKEN && !e.DISCORD_APPLICATION_ID)
    throw new ConfigError(
      'Invalid configuration: DISCORD_APPLICATION_ID is required with DISCORD_TOKEN (Developer Portal → General Information → Application ID)',
    );
  if (e.TELEGRAM_WEBHOOK_URL && e.HTTP_PORT === undefined)
    throw new ConfigError(
      'Invalid configuration: TELEGRAM_WEBHOOK_URL needs HTTP_PORT (the local port the webhook is served on, behind your HTTPS reverse proxy)',
    );
  if (e.TELEGRAM_WEBHOOK_URL && !e.TELEGRAM_WEBHOOK_SECRET)
    throw new ConfigError(
      'Invalid configuration: TELEGRAM_WEBHOOK_SECRET is required with TELEGRAM_WEBHOOK_URL (Telegram sends it back on every call so forged updates are refused)',
    );
  // Keys are never generated beside the data in production or for a shared PostgreSQL (a second
  // process would generate others and read nothing): they must come from outside (src/keys.ts).
  const keysOutside = (e.LANTERN_ENCRYPTION_KEYS && e.LANTERN_HASH_KEY) || e.LANTERN_KEYS_FILE || e.CREDENTIALS_DIRECTORY;
  if ((e.NODE_ENV === 'production' || e.DATABASE_URL) && !keysOutside)
    throw new ConfigError(
      `Invalid configuration: ${e.NODE_ENV === 'production' ? 'NODE_ENV=production' : 'DATABASE_URL (PostgreSQL)'} requires keys from outside the data directory: LANTERN_ENCRYPTION_KEYS and LANTERN_HASH_KEY, or LANTERN_KEYS_FILE, or systemd credentials (CREDENTIALS_DIRECTORY with lantern-encryption-keys and lantern-hash-key); generate each key with: npm run admin -- new-key`,
    );
  return toConfig(e);
}
