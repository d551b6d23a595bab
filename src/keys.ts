/**
 * Where the keyring comes from, first match wins: the environment (LANTERN_ENCRYPTION_KEYS,
 * LANTERN_HASH_KEY); a key file outside the data directory (LANTERN_KEYS_FILE); systemd
 * credentials ($CREDENTIALS_DIRECTORY/lantern-encryption-keys and lantern-hash-key); and, for the
 * embedded default in development only, a key file generated in the data directory on first run
 * (a stolen disk then holds the keys too: the start-up says so, loudly).
 */
import { existsSync, linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, type Config } from './config.ts';
import { newKey, parseKeyring, type Keyring } from './core/crypto/crypto.ts';

type KeyConfig = Pick<Config, 'encryptionKeys' | 'hashKey' | 'dataDir' | 'databaseUrl' | 'production' | 'keysFile' | 'credentialsDir'>;

/** Where the keys were found: `generated` is the new key file's path, which the caller announces. */
export interface LoadedKeys {
  keyring: Keyring;
  source: 'environment' | 'keys-file' | 'credentials' | 'data-dir';
  generated?: string;
}

const inside = (dir: string, file: string) => !path.relative(path.resolve(dir), path.resolve(file)).startsWith('..');

function readKeyFile(file: string): { encryptionKeys: string; hashKey: string } {
  const k = JSON.parse(readFileSync(file, 'utf8')) as { encryptionKeys?: unknown; hashKey?: unknown };
  if (typeof k.encryptionKeys !== 'string' || typeof k.hashKey !== 'string')
    throw new ConfigError(`The key file ${file} must hold {"encryptionKeys": "id:<key>[,…]", "hashKey": "<key>"}`);
  return { encryptionKeys: k.encryptionKeys, hashKey: k.hashKey };
}

function fromCredentials(dir: string): { encryptionKeys: string; hashKey: string } {
  const read = (name: string) => {
    const f = path.join(dir, name);
    if (!existsSync(f))
      throw new ConfigError(`CREDENTIALS_DIRECTORY is set but ${f} is missing (LoadCredential=${name}:… in the unit file)`);
    return readFileSync(f, 'utf8').trim();
  };
  return { encryptionKeys: read('lantern-encryption-keys'), hashKey: read('lantern-hash-key') };
}

/** Loads the keyring, or refuses (ConfigError) where keys would sit beside the data they protect. */
export function loadKeyring(config: KeyConfig): LoadedKeys {
  const ring = (k: { encryptionKeys: string; hashKey: string }) =>
    parseKeyring(config.encryptionKeys ?? k.encryptionKeys, config.hashKey ?? k.hashKey);
  if (config.encryptionKeys && config.hashKey)
    return { keyring: parseKeyring(config.encryptionKeys, config.hashKey), source: 'environment' };
  if (config.keysFile) {
    if (!config.databaseUrl && inside(config.dataDir, config.keysFile))
      throw new ConfigError(
        `LANTERN_KEYS_FILE (${config.keysFile}) is inside the data directory ${config.dataDir}: whoever copies the data would have the keys. Keep it on another disk or path.`,
      );
    return { keyring: ring(readKeyFile(config.keysFile)), source: 'keys-file' };
  }
  if (config.credentialsDir) return { keyring: ring(fromCredentials(config.credentialsDir)), source: 'credentials' };
  if (config.production || config.databaseUrl)
    throw new ConfigError(
      'No keys: production and PostgreSQL need LANTERN_ENCRYPTION_KEYS and LANTERN_HASH_KEY, LANTERN_KEYS_FILE, or systemd credentials (npm run admin -- new-key makes a key)',
    );
  const file = path.join(config.dataDir, 'keys.json');
  if (existsSync(file)) return { keyring: ring(readKeyFile(file)), source: 'data-dir' };
  const stored = { encryptionKeys: `k1:${newKey()}`, hashKey: newKey() };
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  // Written aside, then renamed: a disk filling up mid-write leaves no truncated key file behind.
  const partial = `${file}.partial`;
  try {
    writeFileSync(partial, JSON.stringify(stored, null, 2) + '\n', { mode: 0o600 });
    linkSync(partial, file); // fails if another process created the file meanwhile, as 'wx' did
  } finally {
    rmSync(partial, { force: true });
  }
  return { keyring: ring(stored), source: 'data-dir', generated: file };
}
