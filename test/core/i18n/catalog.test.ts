import { describe, expect, it } from 'vitest';
import { catalogs, t } from '../../../src/core/i18n/catalog.ts';
import { LOCALES, toLocale } from '../../../src/core/i18n/locales.ts';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('i18n catalog', () => {
  const keys = Object.keys(catalogs.en);

  describe('completeness', () => {
    for (const locale of LOCALES) {
      it(`has every key in ${locale}, none empty`, () => {
        const missing = keys.filter((k) => !(catalogs[locale] as Record<string, string>)[k]?.trim());
        expect(missing).toEqual([]);
        expect(Object.keys(catalogs[locale]).sort()).toEqual([...keys].sort());
      });

      it(`uses the same placeholders in ${locale} as in English`, () => {
        const mismatched = keys.filter(
          (k) =>
            placeholders((catalogs[locale] as Record<string, string>)[k]!).join() !==
            placeholders((catalogs.en as Record<string, string>)[k]!).join(),
        );
        expect(mismatched).toEqual([]);
      });
    }

    it('really translates: Chinese catalogs differ from English except names and commands', () => {
      const same = keys.filter((k) => catalogs['zh-Hans'][k as keyof typeof catalogs.en] === catalogs.en[k as keyof typeof catalogs.en]);
      expect(
        same.every((k) => /^(language\.name\.|help\.title|citation\.quote|cmd\.\w+\.usage|lookup\.city_country|lookup\.status_at)/.test(k)),
      ).toBe(true);
    });
  });

  describe('t()', () => {
    it('fills placeholders', () => {
      expect(t('en', 'lookup.more', { count: 3 })).toContain('3 more');
      expect(t('zh-Hant', 'lookup.more', { count: 3 })).toContain('另有 3 個');
    });
  });

  describe('toLocale', () => {
    it('maps platform language tags to the three catalogs', () => {
      expect(toLocale('zh-TW')).toBe('zh-Hant');
      expect(toLocale('zh-hk')).toBe('zh-Hant');
      expect(toLocale('zh-CN')).toBe('zh-Hans');
      expect(toLocale('zh')).toBe('zh-Hans');
      expect(toLocale('en-GB')).toBe('en');
      expect(toLocale('fr', 'zh-Hans')).toBe('zh-Hans');
      expect(toLocale(undefined)).toBe('en');
    });
  });
});
