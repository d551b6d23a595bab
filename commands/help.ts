import type { CommandSummary } from '../src/core/help/help.handler.ts';
import { defineCommand } from './define.ts';
import { makeHelp } from '../src/core/help/help.handler.ts';

/**
 * /help over the commands `list` returns. commands/index.ts passes its own list, so this file
 * does not import the index (which imports it).
 */
export function helpCommand(list: () => readonly CommandSummary[]) {
  return defineCommand({
    name: 'help',
    description: 'cmd.help.description',
    usage: 'cmd.help.usage',
    audience: 'everyone',
    where: 'anywhere',
    options: {},
    handler: makeHelp(list),
  });
}
