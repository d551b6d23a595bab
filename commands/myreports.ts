import { z } from 'zod';
import { defineCommand, opt } from './define.ts';
import { myReports } from '../src/core/intake/my-reports.handler.ts';

/** A receipt as typed: generous about spaces and dashes, strict about length. */
export const receiptSchema = z.string().trim().min(1).max(40);

export default defineCommand({
  name: 'myreports',
  description: 'cmd.myreports.description',
  usage: 'cmd.myreports.usage',
  audience: 'everyone',
  where: 'private-only',
  options: { receipt: opt.string(receiptSchema, 'opt.myreports.receipt', { maxLength: 40 }) },
  handler: myReports,
});
