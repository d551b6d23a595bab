import { describe, expect, it } from 'vitest';
import { allCommands } from '../../../commands/index.ts';
import { answersPrivately, commandChat } from '../../../src/core/commands/chat-kind.ts';
import { CAPABILITIES } from '../../support/memory.ts';

const find = (name: string) => allCommands.find((c) => c.name === name)!;

describe('commandChat', () => {
  it('keeps a private place private, for every command', () => {
    for (const cmd of allCommands) for (const can of Object.values(CAPABILITIES)) expect(commandChat(cmd, 'private', can)).toBe('private');
  });

  it('runs a private-only command asked in public in private where the platform can answer the asker alone', () => {
    expect(find('report').where).toBe('private-only');
    expect(commandChat(find('report'), 'public', CAPABILITIES.discord)).toBe('private');
    // Telegram has no such message: the command stays public, and the dispatcher refuses it there.
    expect(commandChat(find('report'), 'public', CAPABILITIES.telegram)).toBe('public');
  });

  it('keeps a command for anywhere, or an unknown one, public in public', () => {
    expect(commandChat(find('lookup'), 'public', CAPABILITIES.discord)).toBe('public');
    expect(commandChat(undefined, 'public', CAPABILITIES.discord)).toBe('public');
  });
});

describe('answersPrivately', () => {
  it('is true for the triage commands only', () => {
    for (const cmd of allCommands) expect(answersPrivately(cmd)).toBe(cmd.audience === 'triage');
    expect(answersPrivately(undefined)).toBe(false);
  });
});
