import { describe, expect, it } from 'vitest';
import { newKey, open, openJson, parseKeyring, pseudonym, seal, sealJson } from '../../../src/core/crypto/crypto.ts';

const ring = parseKeyring(`k2:${newKey()},k1:${newKey()}`, newKey());

describe('crypto', () => {
  describe('sealing', () => {
    it('round-trips and hides the plaintext', () => {
      const { keyId, data } = seal(ring, Buffer.from('my brother was called by the police'));
      expect(keyId).toBe('k2');
      expect(data.toString('latin1')).not.toContain('brother');
      expect(open(ring, keyId, data).toString()).toBe('my brother was called by the police');
    });

    it('refuses altered data (authenticated encryption)', () => {
      const { keyId, data } = sealJson(ring, { what: 'x' });
      data[data.length - 1]! ^= 1;
      expect(() => openJson(ring, keyId, data)).toThrow();
    });

    it('binds the associated data', () => {
      const { keyId, data } = seal(ring, Buffer.from('a'), 'report-1');
      expect(() => open(ring, keyId, data, 'report-2')).toThrow();
    });

    it('opens data sealed with an older key still in the ring', () => {
      const old = parseKeyring(`k1:${Buffer.from(ring.keys.get('k1')!).toString('base64')}`, newKey());
      const { keyId, data } = seal(old, Buffer.from('old'));
      expect(open(ring, keyId, data).toString()).toBe('old');
    });

    it('says which key is missing', () => {
      expect(() => open(ring, 'k9', Buffer.alloc(40))).toThrow(/k9/);
    });
  });

  describe('pseudonyms', () => {
    it('are stable per platform+id and differ across platforms', () => {
      const id = '7310554218';
      expect(pseudonym(ring, 'telegram', id)).toBe(pseudonym(ring, 'telegram', id));
      expect(pseudonym(ring, 'telegram', id)).not.toBe(pseudonym(ring, 'discord', id));
      expect(pseudonym(ring, 'telegram', id)).toMatch(/^[0-9a-f]{64}$/);
      expect(pseudonym(ring, 'telegram', id)).not.toContain(id);
    });
  });
});

describe('key ids', () => {
  it('refuses the same key id twice', () => {
    expect(() => parseKeyring(`k1:${newKey()},k2:${newKey()},k1:${newKey()}`, newKey())).toThrow(/"k1" appears twice/);
    expect(parseKeyring(`k1:${newKey()},k2:${newKey()}`, newKey()).keys.size).toBe(2);
  });
});
