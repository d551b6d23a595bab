/** Keys away from the data: where the keyring may come from, and where it is refused. */
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.ts';
import { newKey } from '../src/core/crypto/crypto.ts';
import { loadKeyring } from '../src/keys.ts';

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(path.join(tmpdir(), 'lantern-keys-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const keyFile = (file: string) =>
  writeFileSync(file, JSON.stringify({ encryptionKeys: `k7:${newKey()}`, hashKey: newKey() }), { mode: 0o600 });

describe('keys', () => {
  describe('refused beside the data', () => {
    it('production without keys from outside does not start', () => {
      expect(() => loadConfig({ NODE_ENV: 'production', LANTERN_DATA_DIR: tmp() })).toThrow(ConfigError);
      expect(() => loadConfig({ NODE_ENV: 'production', LANTERN_DATA_DIR: tmp() })).toThrow(/LANTERN_KEYS_FILE/);
    });

    it('PostgreSQL without keys does not start (a second process would generate other keys)', () => {
      expect(() => loadConfig({ DATABASE_URL: 'postgresql://u@127.0.0.1:5432/x' })).toThrow(/DATABASE_URL \(PostgreSQL\) requires keys/);
    });

    it('production does not fall back on a keys.json in the data directory', () => {
      const data = tmp();
      keyFile(path.join(data, 'keys.json'));
      const config = { ...loadConfig({ LANTERN_DATA_DIR: data }), production: true };
      expect(() => loadKeyring(config)).toThrow(ConfigError);
      // The same file is used in development: the refusal is production's, not a broken file.
      expect(loadKeyring({ ...config, production: false }).keyring.activeId).toBe('k7');
    });

    it('refuses a LANTERN_KEYS_FILE inside the data directory', () => {
      const data = tmp();
      mkdirSync(path.join(data, 'secrets'));
      const file = path.join(data, 'secrets', 'lantern-keys.json');
      keyFile(file);
      const config = loadConfig({ NODE_ENV: 'production', LANTERN_DATA_DIR: data, LANTERN_KEYS_FILE: file });
      expect(() => loadKeyring(config)).toThrow(/inside the data directory/);
    });
  });

  describe('taken from outside', () => {
    it('reads LANTERN_KEYS_FILE outside the data directory in production', () => {
      const file = path.join(tmp(), 'lantern-keys.json');
      keyFile(file);
      const config = loadConfig({ NODE_ENV: 'production', LANTERN_DATA_DIR: tmp(), LANTERN_KEYS_FILE: file });
      const k = loadKeyring(config);
      expect(k.source).toBe('keys-file');
      expect(k.keyring.activeId).toBe('k7');
    });

    it('reads systemd credentials from $CREDENTIALS_DIRECTORY', () => {
      const creds = tmp();
      writeFileSync(path.join(creds, 'lantern-encryption-keys'), `c1:${newKey()}\n`);
      writeFileSync(path.join(creds, 'lantern-hash-key'), `${newKey()}\n`);
      const k = loadKeyring(
        loadConfig({
          NODE_ENV: 'production',
          LANTERN_DATA_DIR: tmp(),
          CREDENTIALS_DIRECTORY: creds,
          DATABASE_URL: 'postgresql://u@127.0.0.1:5432/x',
        }),
      );
      expect(k.source).toBe('credentials');
      expect(k.keyring.activeId).toBe('c1');
    });

    it('says clearly which credential is missing', () => {
      const creds = tmp();
      writeFileSync(path.join(creds, 'lantern-encryption-keys'), `c1:${newKey()}`);
      expect(() => loadKeyring(loadConfig({ NODE_ENV: 'production', LANTERN_DATA_DIR: tmp(), CREDENTIALS_DIRECTORY: creds }))).toThrow(
        /lantern-hash-key is missing/,
      );
    });

    it('generates keys only for the embedded default in development, 0600, and says where', () => {
      const data = path.join(tmp(), 'data');
      const k = loadKeyring(loadConfig({ LANTERN_DATA_DIR: data }));
      expect(k.source).toBe('data-dir');
      expect(k.generated).toBe(path.join(data, 'keys.json'));
      expect(statSync(k.generated!).mode & 0o777).toBe(0o600);
    });
  });
});
