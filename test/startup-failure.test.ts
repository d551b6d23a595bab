/**
 * What main() prints when start-up fails: every offender of the declaration check (one list to
 * fix at once), only the first line of any other error.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineCommand, opt, validateCommands } from '../commands/define.ts';
import { allCommands } from '../commands/index.ts';
import { startupFailureMessage } from '../src/startup-failure.ts';

function declarationFailure(): unknown {
  const bad = defineCommand({
    name: 'Bad-Name',
    description: 'cmd.help.description',
    usage: 'cmd.help.usage',
    audience: 'everyone',
    where: 'anywhere',
    options: { BadOption: opt.string(z.string(), 'opt.lookup.place') },
    handler: async () => {
      throw new Error('unused');
    },
  });
  try {
    validateCommands([...allCommands, bad as never, allCommands[0]!]);
  } catch (e) {
    return e;
  }
  throw new Error('validateCommands accepted bad declarations');
}

describe('startupFailureMessage', () => {
  it('lists every offender of validateCommands, one a line', () => {
    const message = startupFailureMessage(declarationFailure());
    const lines = message.split('\n');
    expect(lines[0]).toContain('Command declarations break platform rules');
    expect(lines).toContain('- /Bad-Name: name must match /^[a-z0-9_]{1,32}$/ (lowercase, digits, _; no "/")');
    expect(lines).toContain('- /Bad-Name: option "BadOption" must be snake_case');
    expect(lines).toContain(`- /${allCommands[0]!.name}: declared twice`);
    expect(lines).toHaveLength(4);
  });

  it('keeps one line of any other error', () => {
    expect(startupFailureMessage(new Error('disk on fire\n    at somewhere (x.ts:1:1)'))).toBe('unexpected failure at start: disk on fire');
    expect(startupFailureMessage('plain')).toBe('unexpected failure at start: plain');
  });
});
