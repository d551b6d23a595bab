import { defineCommand } from './define.ts';
import { makeHelp } from '../src/core/help/help.handler.ts';
import { allCommands } from './index.ts';

export default defineCommand({
  name: 'help',
  description: 'cmd.help.description',
  usage: 'cmd.help.usage',
  audience: 'everyone',
  where: 'anywhere',
  options: {},
  handler: makeHelp(() => allCommands),
});
