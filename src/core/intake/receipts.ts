/**
 * Receipt codes: 100 random bits in Crockford base32, grouped for reading aloud
 * ("7KQ2-M9XD-4HJW-PR3T-ZB6C"). Only a keyed hash is stored. Public report ids ("R-7K2M9Q") are
 * short random labels for the triage team, not secrets.
 */
import { createHmac, randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

function base32(bytes: Buffer, length: number): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5 && out.length < length) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out;
}

/** A new receipt code (100 bits of randomness). */
export function newReceiptCode(): string {
  return base32(randomBytes(13), 20).match(/.{4}/g)!.join('-');
}

/** Canonical form of what a person typed: case, spaces, dashes and look-alike letters folded. */
export function normalizeReceipt(input: string): string {
  return input.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1').replace(/U/g, 'V');
}

/** True when the input can be a receipt code at all (20 base32 characters). */
export function looksLikeReceipt(input: string): boolean {
  return /^[0-9A-HJKMNP-TV-Z]{20}$/.test(normalizeReceipt(input));
}

/** The keyed hash stored for a receipt. */
export function receiptHash(hashKey: Buffer, code: string): string {
  return createHmac('sha256', hashKey)
    .update(`receipt\u0000${normalizeReceipt(code)}`)
    .digest('hex');
}

/** A new public report id, e.g. "R-7K2M9Q". */
export function newPublicId(): string {
  return `R-${base32(randomBytes(4), 6)}`;
}
