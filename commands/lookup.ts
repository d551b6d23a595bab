import { z } from 'zod';
import { defineCommand, opt } from './define.ts';
import { lookup } from '../src/core/lookup/lookup.handler.ts';

/** Longest place query accepted (a city, country or station name never needs more). */
export const PLACE_MAX = 100;

export default defineCommand({
  name: 'lookup',
  description: 'cmd.lookup.description',
  usage: 'cmd.lookup.usage',
  audience: 'everyone',
  where: 'anywhere',
  options: {
    place: opt.string(z.string().trim().min(1).max(PLACE_MAX), 'opt.lookup.place', { autocomplete: 'places', maxLength: PLACE_MAX }),
  },
  handler: lookup,
});
