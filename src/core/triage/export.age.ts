/**
 * Exports encrypted to the operator's age recipients (age-encryption, the reference TypeScript
 * implementation by age's author; X25519 through WebCrypto, runs on Node 20).
 */
import { createRequire } from 'node:module';
import type * as Age from 'age-encryption';

// Loaded when recipients are checked or a file is encrypted, not with every start (~17 MB).
// Node 20.19 requires this ES module synchronously, which isAgeRecipient (checked in config) needs.
const require = createRequire(import.meta.url);
let age: typeof Age | undefined;
const encrypter = () => new (age ??= require('age-encryption') as typeof Age).Encrypter();

/** An age X25519 (age1…) or hybrid post-quantum (age1pq1…) recipient, Bech32 lower case. */
export const AGE_RECIPIENT = /^age1(pq1)?[02-9ac-hj-np-z]{58,}$/;

/** True when age-encryption accepts the recipient (checked at start, not at the first export). */
export function isAgeRecipient(r: string): boolean {
  if (!AGE_RECIPIENT.test(r)) return false;
  try {
    encrypter().addRecipient(r);
    return true;
  } catch {
    return false;
  }
}

/** Encrypts bytes to every recipient (binary age format, any one identity decrypts). */
export async function encryptToRecipients(recipients: readonly string[], bytes: Uint8Array): Promise<Uint8Array> {
  const e = encrypter();
  for (const r of recipients) e.addRecipient(r);
  return e.encrypt(bytes);
}
