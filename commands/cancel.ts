import { defineCommand } from './define.ts';
import { cancelReport } from '../src/core/intake/intake.service.ts';

export default defineCommand({
  name: 'cancel',
  description: 'cmd.cancel.description',
  usage: 'cmd.cancel.usage',
  audience: 'everyone',
  where: 'private-only',
  options: {},
  handler: cancelReport,
});
