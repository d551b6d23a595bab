import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { looksLikeReceipt, newPublicId, newReceiptCode, normalizeReceipt, receiptHash } from '../../../src/core/intake/receipts.ts';

describe('receipts', () => {
  it('carry 100 bits in 20 readable characters', () => {
    const code = newReceiptCode();
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){4}$/);
    expect(new Set(Array.from({ length: 2000 }, newReceiptCode)).size).toBe(2000);
  });

  it('are forgiving about case, spaces and look-alike letters', () => {
    const key = randomBytes(32);
    const code = '0K11-M9XD-4HJW-PR3T-ZB6C';
    expect(receiptHash(key, 'ok1l m9xd 4hjw pr3t zb6c')).toBe(receiptHash(key, code));
    expect(normalizeReceipt('ab-cd')).toBe('ABCD');
    expect(looksLikeReceipt('hello')).toBe(false);
    expect(looksLikeReceipt(code)).toBe(true);
  });

  it('hash with a key: the same code under another key hashes differently', () => {
    const code = newReceiptCode();
    expect(receiptHash(randomBytes(32), code)).not.toBe(receiptHash(randomBytes(32), code));
  });

  it('public ids look like R-XXXXXX', () => {
    expect(newPublicId()).toMatch(/^R-[0-9A-Z]{6}$/);
  });
});
