import { describe, expect, it } from 'vitest';
import { parseCommandLine } from '../../../src/adapters/kit/command-line.ts';

describe('parseCommandLine', () => {
  describe('declared names (Telegram, Discord DMs)', () => {
    it('splits the name, the addressed bot and the arguments', () => {
      expect(parseCommandLine('/lookup@LanternBot New York')).toEqual({ name: 'lookup', target: 'LanternBot', args: 'New York' });
      expect(parseCommandLine('/lookup New York\nsecond line')).toEqual({ name: 'lookup', args: 'New York\nsecond line' });
      expect(parseCommandLine('/help')).toEqual({ name: 'help', args: '' });
    });

    it('keeps the name as typed (the core lower-cases it)', () => {
      expect(parseCommandLine('/LookUp Prato')).toEqual({ name: 'LookUp', args: 'Prato' });
    });

    it('takes text that is not a command as free text', () => {
      for (const text of ['lookup Prato', '/what-is-this', '/', '/lookup@ Prato', `/${'a'.repeat(33)}`, ' /help'])
        expect(parseCommandLine(text)).toBeUndefined();
    });
  });

  describe('any name (the console)', () => {
    it('reads an unknown name as a command, so the core can say it is unknown', () => {
      expect(parseCommandLine('/what-is-this now', { anyName: true })).toEqual({ name: 'what-is-this', args: 'now' });
      expect(parseCommandLine('/lookup@bot Prato', { anyName: true })).toEqual({ name: 'lookup', target: 'bot', args: 'Prato' });
      expect(parseCommandLine('/help', { anyName: true })).toEqual({ name: 'help', args: '' });
      expect(parseCommandLine('no slash', { anyName: true })).toBeUndefined();
    });
  });
});
