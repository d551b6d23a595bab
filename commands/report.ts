import { defineCommand } from './define.ts';
import { startReport } from '../src/core/intake/intake.service.ts';

export default defineCommand({
  name: 'report',
  description: 'cmd.report.description',
  usage: 'cmd.report.usage',
  audience: 'everyone',
  where: 'private-only',
  options: {},
  handler: startReport,
});
