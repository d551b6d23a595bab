import { z } from 'zod';
import { defineCommand, opt } from './define.ts';
import { sources } from '../src/core/citations/sources.handler.ts';
import { PLACE_MAX } from './lookup.ts';

export default defineCommand({
  name: 'sources',
  description: 'cmd.sources.description',
  usage: 'cmd.sources.usage',
  audience: 'everyone',
  where: 'anywhere',
  options: {
    station: opt.optionalString(z.string().trim().min(1).max(PLACE_MAX), 'opt.sources.station', {
      autocomplete: 'places',
      maxLength: PLACE_MAX,
    }),
  },
  handler: sources,
});
