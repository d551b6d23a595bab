import { describe, expect, it } from 'vitest';
import { citationDate, citeMarks } from '../../../src/adapters/kit/citations.ts';
import { t } from '../../../src/core/i18n/catalog.ts';

describe('citation pieces', () => {
  it('marks cited text with its numbers, and nothing when nothing is cited', () => {
    expect(citeMarks([1, 3])).toBe(' [1][3]');
    expect(citeMarks([])).toBe('');
    expect(citeMarks(undefined)).toBe('');
  });

  it('writes a date as given, approximate or unknown, in the reader’s language', () => {
    expect(citationDate({ date: '2022-09', dateApproximate: false }, 'en')).toBe('2022-09');
    expect(citationDate({ date: '2022-12', dateApproximate: true }, 'zh-Hans')).toBe(t('zh-Hans', 'date.approximate', { date: '2022-12' }));
    expect(citationDate({ date: 'unknown', dateApproximate: false }, 'zh-Hant')).toBe(t('zh-Hant', 'date.unknown'));
  });
});
