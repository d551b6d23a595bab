import { defineCommand } from './define.ts';
import { backReport } from '../src/core/intake/intake.service.ts';

export default defineCommand({
  name: 'back',
  description: 'cmd.back.description',
  usage: 'cmd.back.usage',
  audience: 'everyone',
  where: 'private-only',
  options: {},
  handler: backReport,
});
