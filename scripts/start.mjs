/**
 * `npm start`: runs the compiled bot (dist/src/main.js), building it first when it is missing or
 * stale, so a fresh clone's `npm install && npm start` and an edited checkout both just work.
 */
import { build, isStale } from './build.mjs';

if (isStale()) {
  process.stderr.write('lantern: building (once after an install or a change)…\n');
  const code = build();
  if (code !== 0) process.exit(code);
}
await import('../dist/src/main.js');
