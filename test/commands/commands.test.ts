import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { allCommands, findCommand } from '../../commands/index.ts';
import { defineCommand, opt, PLATFORM_RULES, UncompliantCommandsError, validateCommands } from '../../commands/define.ts';
import { catalogs } from '../../src/core/i18n/catalog.ts';
import { LOCALES } from '../../src/core/i18n/locales.ts';

describe('command declarations', () => {
  it('declare the public and reporter commands', () => {
    expect(allCommands.map((c) => c.name)).toEqual([
      'lookup',
      'sources',
      'tactics',
      'map',
      'report',
      'myreports',
      'forget',
      'help',
      'resources',
      'language',
      'triage',
      'cancel',
      'back',
      'draft',
    ]);
    expect(findCommand('LOOKUP')?.name).toBe('lookup');
  });

  for (const cmd of allCommands) {
    it(`/${cmd.name} follows both platforms' rules in every locale`, () => {
      expect(cmd.name).toMatch(PLATFORM_RULES.name);
      for (const l of LOCALES) {
        const d = catalogs[l][cmd.description];
        expect(d.length).toBeGreaterThanOrEqual(PLATFORM_RULES.descriptionMin);
        expect(d.length).toBeLessThanOrEqual(PLATFORM_RULES.descriptionMax);
        for (const o of Object.values(cmd.options))
          expect(catalogs[l][o.description].length).toBeLessThanOrEqual(PLATFORM_RULES.descriptionMax);
      }
    });
  }

  it('validateCommands passes for the real list', () => {
    expect(() => validateCommands(allCommands)).not.toThrow();
  });

  it('validateCommands lists every offender at once', () => {
    const bad = defineCommand({
      name: '/Bad Name',
      description: 'cmd.help.description',
      usage: 'cmd.help.usage',
      audience: 'everyone',
      where: 'anywhere',
      options: { BadOpt: opt.string(z.string(), 'opt.lookup.place') },
      handler: async () => {
        throw new Error('unused');
      },
    });
    try {
      validateCommands([...allCommands, bad as never, allCommands[0]!]);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(UncompliantCommandsError);
      const problems = (e as UncompliantCommandsError).problems;
      expect(problems.some((p) => p.includes('/Bad Name: name must match'))).toBe(true);
      expect(problems.some((p) => p.includes('option "BadOpt" must be snake_case'))).toBe(true);
      expect(problems.some((p) => p.includes('/lookup: declared twice'))).toBe(true);
    }
  });
});
