/**
 * The repository's root directory, found from this file whether it runs as source (src/) or
 * compiled (dist/src/): files that ship beside the code (prisma/, the dataset) are read from it.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

/** The directory holding package.json, prisma/ and node_modules/. */
export const ROOT = findRoot(path.dirname(fileURLToPath(import.meta.url)));
