/** Identifiers a reporter shares reduce to keys that match across the ways people write them. */
import { describe, expect, it } from 'vitest';
import { identifierKeys } from '../../../src/core/intake/identifiers.ts';

const keys = (s: string) => identifierKeys(s).map((k) => `${k.kind}:${k.key}`);

describe('identifier keys', () => {
  it('match a phone number written nationally and internationally', () => {
    expect(keys('+44 7700 900123')).toEqual(keys('07700 900123'));
    expect(keys('+44 (0)7700-900-123')).toEqual(['phone:700900123']);
  });

  it('drop the label before a colon, in either script, and an @', () => {
    expect(keys('WeChat: Example_ID')).toEqual(['account:example_id']);
    expect(keys('微信：example_id')).toEqual(['account:example_id']);
    expect(keys('@example_id')).toEqual(['account:example_id']);
  });

  it('split several on commas, semicolons and Chinese enumeration marks', () => {
    expect(keys('WeChat: a_person, +44 7700 900123；电话: 07700 900124、@third_one')).toEqual([
      'account:a_person',
      'phone:700900123',
      'phone:700900124',
      'account:third_one',
    ]);
  });

  it('give a hint the team can recognise without the whole identifier', () => {
    const [phone, account] = identifierKeys('+44 7700 900123, example_id');
    expect(phone!.hint).toBe('0123');
    expect(account!.hint).toBe('ex…id');
    expect(account!.hint).not.toContain('example');
  });

  it('ignore what is too short to match anything safely', () => {
    expect(identifierKeys('ab, 12, ')).toEqual([]);
    expect(identifierKeys(null)).toEqual([]);
    // a short number is no phone, but may be an account (a QQ number, say)
    expect(keys('QQ: 12345')).toEqual(['account:12345']);
  });
});
