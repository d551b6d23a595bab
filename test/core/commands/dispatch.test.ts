import { describe, expect, it } from 'vitest';
import { allCommands } from '../../../commands/index.ts';
import { parseInput } from '../../../src/core/commands/dispatch.ts';

const lookupCommand = allCommands.find((c) => c.name === 'lookup')!;

describe('parseInput: the text rules for every option, typed or sent as a slash option', () => {
  it('normalises to NFC, so a decomposed accent reads as the composed one', () => {
    const r = parseInput(lookupCommand, { place: 'Mila\u0301n' });
    expect(r).toEqual({ ok: true, value: { place: 'Milán' } });
  });

  it('refuses zero-width and bidi control characters, naming the option', () => {
    for (const place of ['Pra\u200Bto', '\u202Eotarp', 'Prato\u0000']) {
      expect(parseInput(lookupCommand, { place })).toEqual({
        ok: false,
        error: { code: 'INPUT.CONTROL_CHARS', params: { option: 'place' } },
      });
    }
  });

  it('keeps the emoji joiner, which only joins visible characters', () => {
    expect(parseInput(lookupCommand, { place: '👩\u200D👧 Prato' }).ok).toBe(true);
  });
});
