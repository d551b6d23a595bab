/** Cutting text never splits a surrogate pair, in the shared helper and in both adapters' splitting. */
import { describe, expect, it } from 'vitest';
import { splitText } from '../../../src/adapters/discord/render.ts';
import { renderMessages } from '../../../src/adapters/telegram/render.ts';
import { safeCutIndex, splitUnits } from '../../../src/core/text/split.ts';

/** A lone half of a surrogate pair (what a bad cut leaves). */
const LONE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

describe('splitting text', () => {
  it('moves a cut that falls inside a pair to before it', () => {
    expect(safeCutIndex('a😀b', 2)).toBe(1);
    expect(safeCutIndex('a😀b', 3)).toBe(3);
    expect(splitUnits('a😀😀', 2)).toEqual(['a', '😀', '😀']);
  });

  it('Telegram: a long block of emoji splits into whole characters, losing none', () => {
    const text = 'x' + '😀'.repeat(3000);
    const messages = renderMessages({ private: false, kind: 'answer', blocks: [{ type: 'text', text }], citations: [] }, 'en', 1000);
    expect(messages.length).toBeGreaterThan(5);
    for (const m of messages) expect(m).not.toMatch(LONE);
    expect(messages.join('')).toBe(text);
  });

  it('Discord: a long line of Han characters beyond the BMP splits into whole characters', () => {
    const text = 'y' + '𠀀'.repeat(2000);
    const pieces = splitText(text, 999);
    expect(pieces.length).toBeGreaterThan(3);
    for (const p of pieces) {
      expect(p).not.toMatch(LONE);
      expect(p.length).toBeLessThanOrEqual(999);
    }
    expect(pieces.join('')).toBe(text);
  });
});
