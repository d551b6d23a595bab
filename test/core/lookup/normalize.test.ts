import { describe, expect, it } from 'vitest';
import { compact, editDistance, normalize } from '../../../src/core/lookup/normalize.ts';
import { toPinyin } from '../../../src/core/lookup/pinyin.ts';

describe('normalize', () => {
  it('folds case, accents, width and punctuation', () => {
    expect(normalize('  Zürich, ＮＹＣ! ')).toBe('zurich nyc');
    expect(compact('Niu Yue')).toBe('niuyue');
  });
  it('keeps Chinese characters', () => {
    expect(normalize('紐約')).toBe('紐約');
  });
  it('gives tone-less pinyin in both scripts', () => {
    expect(toPinyin('纽约')).toBe('niuyue');
    expect(toPinyin('多倫多')).toBe('duolunduo');
  });
});

describe('editDistance', () => {
  it('counts a transposition as one edit', () => {
    expect(editDistance('newyrok', 'newyork', 2)).toBe(1);
  });
  it('counts insertions, deletions and substitutions', () => {
    expect(editDistance('prato', 'prado', 2)).toBe(1);
    expect(editDistance('toronto', 'tornto', 2)).toBe(1);
  });
  it('stops early past the cap', () => {
    expect(editDistance('amsterdam', 'rotterdam', 2)).toBe(3);
  });
});
