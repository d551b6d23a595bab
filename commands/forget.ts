import { defineCommand, opt } from './define.ts';
import { forget } from '../src/core/intake/my-reports.handler.ts';
import { receiptSchema } from './myreports.ts';

export default defineCommand({
  name: 'forget',
  description: 'cmd.forget.description',
  usage: 'cmd.forget.usage',
  audience: 'everyone',
  where: 'private-only',
  options: { receipt: opt.string(receiptSchema, 'opt.forget.receipt', { maxLength: 40 }) },
  handler: forget,
});
