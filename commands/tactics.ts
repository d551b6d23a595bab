import { z } from 'zod';
import { defineCommand, opt } from './define.ts';
import { tactics } from '../src/core/topics/topics.ts';
import { PLACE_MAX } from './lookup.ts';

export default defineCommand({
  name: 'tactics',
  description: 'cmd.tactics.description',
  usage: 'cmd.tactics.usage',
  audience: 'everyone',
  where: 'anywhere',
  options: {
    topic: opt.optionalString(z.string().trim().min(1).max(PLACE_MAX), 'opt.tactics.topic', { maxLength: PLACE_MAX }),
  },
  handler: tactics,
});
