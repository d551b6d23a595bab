import { defineCommand } from './define.ts';
import { resources } from '../src/core/help/help.handler.ts';

export default defineCommand({
  name: 'resources',
  description: 'cmd.resources.description',
  usage: 'cmd.resources.usage',
  audience: 'everyone',
  where: 'anywhere',
  options: {},
  handler: resources,
});
