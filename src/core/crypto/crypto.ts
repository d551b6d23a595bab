/**
 * Encryption at rest and pseudonyms. AES-256-GCM (authenticated) with a random 96-bit nonce per
 * message; the key id is stored beside each ciphertext so keys can rotate. People are identified
 * only by HMAC-SHA-256(hashKey, platform + id): stable, not reversible without the key.
 */
import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** The operator's keys: `active` seals, all of `keys` open. */
export interface Keyring {
  activeId: string;
  keys: ReadonlyMap<string, Buffer>;
  hashKey: Buffer;
}

/** Parses "id:base64[,id:base64…]" (first is active) plus the hash key. */
export function parseKeyring(encryptionKeys: string, hashKey: string): Keyring {
  const entries = encryptionKeys.split(',').map((pair) => {
    const [id, b64] = pair.split(':') as [string, string];
    const key = Buffer.from(b64, 'base64');
    if (key.length !== 32) throw new Error(`encryption key "${id}" must be 32 bytes (base64 of 32 random bytes)`);
    return [id, key] as const;
  });
  // Two keys under one id would make old data open with the wrong key (or not at all).
  const seen = new Set<string>();
  for (const [id] of entries) {
    if (seen.has(id))
      throw new Error(`encryption key id "${id}" appears twice: give every key its own id (the first seals, the others only open)`);
    seen.add(id);
  }
  const hk = Buffer.from(hashKey, 'base64');
  if (hk.length !== 32) throw new Error('the hash key must be 32 bytes (base64 of 32 random bytes)');
  return { activeId: entries[0]![0], keys: new Map(entries), hashKey: hk };
}

/** A fresh random 32-byte key in base64. */
export function newKey(): string {
  return randomBytes(32).toString('base64');
}

const VERSION = 1;

/** Encrypts with the active key. Returns the key id to store beside the ciphertext. @example const { keyId, data } = seal(k, Buffer.from('…')) */
export function seal(ring: Keyring, plaintext: Buffer, aad = ''): { keyId: string; data: Buffer } {
  const key = ring.keys.get(ring.activeId)!;
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(`${ring.activeId}|${aad}`));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { keyId: ring.activeId, data: Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), body]) };
}

/** Decrypts and authenticates; throws if the key is unknown or the data was altered. */
export function open(ring: Keyring, keyId: string, data: Uint8Array, aad = ''): Buffer {
  const key = ring.keys.get(keyId);
  if (!key) throw new Error(`no configured key with id "${keyId}" (add it to LANTERN_ENCRYPTION_KEYS to read this data)`);
  const buf = Buffer.from(data);
  if (buf[0] !== VERSION || buf.length < 29) throw new Error('unknown ciphertext format');
  const decipher = createDecipheriv('aes-256-gcm', key, buf.subarray(1, 13));
  decipher.setAAD(Buffer.from(`${keyId}|${aad}`));
  decipher.setAuthTag(buf.subarray(13, 29));
  return Buffer.concat([decipher.update(buf.subarray(29)), decipher.final()]);
}

/** Seals a JSON value. */
export function sealJson(ring: Keyring, value: unknown, aad = ''): { keyId: string; data: Buffer } {
  return seal(ring, Buffer.from(JSON.stringify(value)), aad);
}

/** Opens a sealed JSON value. */
export function openJson<T = unknown>(ring: Keyring, keyId: string, data: Uint8Array, aad = ''): T {
  return JSON.parse(open(ring, keyId, data, aad).toString('utf8')) as T;
}

/** The pseudonym of a person (or any identifier): hex HMAC of the parts. @example pseudonym(k, 'telegram', '12345') */
export function pseudonym(ring: Keyring, ...parts: string[]): string {
  return createHmac('sha256', ring.hashKey).update(parts.join('\u0000')).digest('hex');
}

/**
 * The keyed fingerprint of an original upload (HMAC-SHA-256 with the hash key, hex). A plain
 * hash would let anyone holding the photo confirm it was reported; this one only the operator
 * can check (`npm run admin -- evidence-check <R-ID> <file>`).
 */
export function fileFingerprint(ring: Keyring, data: Uint8Array): string {
  return createHmac('sha256', ring.hashKey).update('evidence-original\u0000').update(data).digest('hex');
}

/** SHA-256 hex of data. */
export function sha256(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Constant-time comparison of two hex strings. */
export function sameHex(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}
