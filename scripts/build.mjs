/**
 * The compiled build: `tsc -p tsconfig.build.json` (src/ and commands/ to dist/), plus the plain
 * JavaScript files tsc does not copy (the gazetteer's worker). `npm start` runs it first when the
 * build is missing or older than any source (see start.mjs); plain JavaScript, so it needs no tsx.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const DIST = path.join(ROOT, 'dist');
const STAMP = path.join(DIST, '.built');
/** What the build is made from: a change to any of them makes it stale. */
const INPUTS = ['src', 'commands', 'tsconfig.json', 'tsconfig.build.json', 'package-lock.json'];

/** Every file under a path (the path itself if it is a file). */
function* files(p) {
  if (!existsSync(p)) return;
  if (!statSync(p).isDirectory()) return yield p;
  for (const e of readdirSync(p, { withFileTypes: true })) yield* files(path.join(p, e.name));
}

/** True when dist/ is missing or older than a source. */
export function isStale() {
  if (!existsSync(STAMP)) return true;
  const built = statSync(STAMP).mtimeMs;
  for (const input of INPUTS)
    for (const f of files(path.join(ROOT, input)))
      if (!f.includes(`${path.sep}tools${path.sep}`) && statSync(f).mtimeMs > built) return true;
  return false;
}

/** Builds dist/; returns tsc's exit code (0: built). */
export function build() {
  const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const r = spawnSync(process.execPath, [tsc, '-p', path.join(ROOT, 'tsconfig.build.json')], {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (r.status !== 0) return r.status ?? 1;
  for (const f of files(path.join(ROOT, 'src'))) {
    if (!f.endsWith('.mjs')) continue;
    const to = path.join(DIST, path.relative(ROOT, f));
    mkdirSync(path.dirname(to), { recursive: true });
    copyFileSync(f, to);
  }
  writeFileSync(STAMP, `${new Date().toISOString()}\n`);
  return 0;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) process.exit(build());
