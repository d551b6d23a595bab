import { describe, expect, it } from 'vitest';
import { newKey, open, parseKeyring } from '../../../src/core/crypto/crypto.ts';
import { newDataKey, openForReport, rewrapDataKey, sealForReport } from '../../../src/core/crypto/envelope.ts';
import { draftBinding, evidenceBinding, noteBinding, payloadBinding, routeBinding } from '../../../src/core/intake/sealing.ts';

const ring = parseKeyring(`k1:${newKey()}`, newKey());
const consent = { consentContact: true, consentShareNgo: true, consentShareLaw: false };

describe('envelope', () => {
  describe('data keys', () => {
    it('seal with the report data key: the master key alone opens nothing', () => {
      const dk = newDataKey(ring, 'r1');
      const s = sealForReport(ring, dk, payloadBinding('r1', consent), Buffer.from('what happened'));
      expect(openForReport(ring, dk, payloadBinding('r1', consent), s).toString()).toBe('what happened');
      expect(() => open(ring, 'k1', s.data)).toThrow();
      expect(() => openForReport(ring, newDataKey(ring, 'r1'), payloadBinding('r1', consent), s)).toThrow();
    });

    it('a wrapped key is bound to its report', () => {
      const dk = newDataKey(ring, 'r1');
      expect(() => sealForReport(ring, dk, noteBinding('r2', 'n1'), Buffer.from('x'))).toThrow();
    });

    it('re-wrapping under a new master key keeps the values readable', () => {
      const dk = newDataKey(ring, 'r1');
      const s = sealForReport(ring, dk, noteBinding('r1', 'n1'), Buffer.from('note'));
      const ring2 = parseKeyring(`k2:${newKey()},k1:${Buffer.from(ring.keys.get('k1')!).toString('base64')}`, newKey());
      const dk2 = rewrapDataKey(ring2, 'r1', dk);
      expect(dk2.keyId).toBe('k2');
      expect(openForReport(ring2, dk2, noteBinding('r1', 'n1'), s).toString()).toBe('note');
    });
  });

  describe('associated data', () => {
    const dk = newDataKey(ring, 'r1');
    it('binds the consent flags of a payload: flipping one makes it unreadable', () => {
      const s = sealForReport(ring, dk, payloadBinding('r1', consent), Buffer.from('p'));
      for (const flip of ['consentContact', 'consentShareNgo', 'consentShareLaw'] as const)
        expect(() => openForReport(ring, dk, payloadBinding('r1', { ...consent, [flip]: !consent[flip] }), s)).toThrow();
    });

    it('binds the row kind and row id: a note cannot pass for evidence, the route for the payload', () => {
      const note = sealForReport(ring, dk, noteBinding('r1', 'n1'), Buffer.from('n'));
      expect(() => openForReport(ring, dk, evidenceBinding('r1', 'n1'), note)).toThrow();
      expect(() => openForReport(ring, dk, noteBinding('r1', 'n2'), note)).toThrow();
      const route = sealForReport(ring, dk, routeBinding('r1'), Buffer.from('chat-1'));
      expect(() => openForReport(ring, dk, payloadBinding('r1', consent), route)).toThrow();
      expect(() => openForReport(ring, dk, draftBinding('r1', 'r1'), route)).toThrow();
      expect(openForReport(ring, dk, routeBinding('r1'), route).toString()).toBe('chat-1');
    });
  });
});
