import { z } from 'zod';
import { defineCommand, opt } from './define.ts';
import type { map as mapHandler } from '../src/core/map/map.handler.ts';
import { PLACE_MAX } from './lookup.ts';

// The map's shapes, font and renderer (tens of megabytes) load with the first /map, not at start.
const map: typeof mapHandler = async (input, ctx) => (await import('../src/core/map/map.handler.ts')).map(input, ctx);

export default defineCommand({
  name: 'map',
  description: 'cmd.map.description',
  usage: 'cmd.map.usage',
  audience: 'everyone',
  where: 'anywhere',
  options: {
    place: opt.optionalString(z.string().trim().min(1).max(PLACE_MAX), 'opt.map.place', { autocomplete: 'places', maxLength: PLACE_MAX }),
  },
  handler: map,
});
