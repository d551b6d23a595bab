import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.ts';

describe('config', () => {
  it('defaults to the embedded database in ./data, English, console only', () => {
    const c = loadConfig({});
    expect(c.databaseUrl).toBeUndefined();
    expect(c.dataDir.endsWith('/data')).toBe(true);
    expect(c.defaultLocale).toBe('en');
    expect(c.telegram).toBeUndefined();
    expect(c.discord).toBeUndefined();
  });

  it('refuses a malformed DATABASE_URL with one line naming the variable, without echoing it', () => {
    expect(() => loadConfig({ DATABASE_URL: 'mysql://secret@x/db' })).toThrow(ConfigError);
    try {
      loadConfig({ DATABASE_URL: 'mysql://secret@x/db' });
    } catch (e) {
      expect((e as Error).message).toMatch(/^Invalid configuration: DATABASE_URL must look like postgresql:/);
      expect((e as Error).message).not.toContain('secret');
      expect((e as Error).message).not.toContain('\n');
    }
  });

  it('refuses an unknown default locale', () => {
    expect(() => loadConfig({ LANTERN_DEFAULT_LOCALE: 'fr' })).toThrow(/LANTERN_DEFAULT_LOCALE/);
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', TELEGRAM_BOT_TOKEN: '' }).telegram).toBeUndefined();
  });

  it('requires keys in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/LANTERN_ENCRYPTION_KEYS and LANTERN_HASH_KEY/);
  });

  it('requires a webhook secret with a webhook URL', () => {
    expect(() =>
      loadConfig({
        TELEGRAM_BOT_TOKEN: '123:abcdefghijklmnopqrstuvwxyz',
        TELEGRAM_WEBHOOK_URL: 'https://example.org/tg',
        HTTP_PORT: '8080',
      }),
    ).toThrow(/TELEGRAM_WEBHOOK_SECRET/);
    expect(() =>
      loadConfig({
        TELEGRAM_BOT_TOKEN: '123:abcdefghijklmnopqrstuvwxyz',
        TELEGRAM_WEBHOOK_URL: 'https://example.org/tg',
        TELEGRAM_WEBHOOK_SECRET: 'a'.repeat(20),
      }),
    ).toThrow(/needs HTTP_PORT/);
  });

  it('reads lists of triage ids', () => {
    const c = loadConfig({ TELEGRAM_BOT_TOKEN: '123:abcdefghijklmnopqrstuvwxyz', TELEGRAM_TRIAGE_USER_IDS: '1, 2,3' });
    expect(c.telegram?.triageUserIds).toEqual(['1', '2', '3']);
  });
});
