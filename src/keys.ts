/**
 * Where the keyring comes from: the environment (LANTERN_ENCRYPTION_KEYS, LANTERN_HASH_KEY) or,
 * on the embedded default only, a key file generated in the data directory on first run.
 * Production mode refuses to start without keys in the environment (see config.ts).
 */
import { existsSync, linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Config } from './config.ts';
import { newKey, parseKeyring, type Keyring } from './core/crypto/crypto.ts';

/** Loads the keyring; `generated` is set when a new key file was written (the caller says so). */
export function loadKeyring(config: Config): { keyring: Keyring; generated?: string } {
  if (config.encryptionKeys && config.hashKey) return { keyring: parseKeyring(config.encryptionKeys, config.hashKey) };
  const file = path.join(config.dataDir, 'keys.json');
  if (existsSync(file)) {
    const k = JSON.parse(readFileSync(file, 'utf8')) as { encryptionKeys: string; hashKey: string };
    return { keyring: parseKeyring(config.encryptionKeys ?? k.encryptionKeys, config.hashKey ?? k.hashKey) };
  }
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
  return { keyring: parseKeyring(config.encryptionKeys ?? stored.encryptionKeys, config.hashKey ?? stored.hashKey), generated: file };
}
