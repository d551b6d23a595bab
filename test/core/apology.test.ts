import { describe, expect, it } from 'vitest';
import { APOLOGY_CODES, apologyReply, type ApologyKey } from '../../src/core/apology.ts';
import { errorMessage } from '../../src/core/errors.ts';
import { t } from '../../src/core/i18n/catalog.ts';

describe('apologyReply', () => {
  it('gives each apology its stable code, privately, in the person’s language', () => {
    expect(apologyReply('common.temporary_error', 'zh-Hans')).toEqual({
      private: true,
      kind: 'error',
      code: 'STORAGE.UNAVAILABLE',
      blocks: [{ type: 'text', text: t('zh-Hans', 'common.temporary_error') }],
      citations: [],
    });
    expect(apologyReply('common.storage_full', 'en').code).toBe('STORAGE.FULL');
    expect(apologyReply('common.internal_error', 'en').code).toBe('INTERNAL');
  });

  it('says for a code what the catalog says for it, where the catalog has the same key', () => {
    for (const [key, code] of Object.entries(APOLOGY_CODES) as [ApologyKey, (typeof APOLOGY_CODES)[ApologyKey]][]) {
      if (code !== 'STORAGE.UNAVAILABLE') expect(errorMessage({ code }, 'en')).toBe(t('en', key));
    }
  });
});
