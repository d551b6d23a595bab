/**
 * The embedded data directory is the operator's alone: 0700 for it and every directory inside,
 * 0600 for every file. New files get that from a 077 umask; files made by an earlier version
 * (0755/0644) are tightened at start. PostgreSQL's own files are the server's business.
 */
import { chmodSync, lstatSync, readdirSync } from 'node:fs';
import path from 'node:path';

/** Sets the process umask to 077 (in a worker thread, where it cannot be set, the chmods still apply). */
export function privateUmask(): void {
  try {
    process.umask(0o077);
  } catch {
    /* worker threads cannot change the umask */
  }
}

// Best effort: on a read-only disk nothing can be tightened (nor written); opening the database
// then reports the real problem with its own clear message.
function chmodQuietly(p: string, mode: number): void {
  try {
    chmodSync(p, mode);
  } catch {
    /* EROFS, EPERM: see above */
  }
}

/** Tightens the directory tree: directories 0700, files 0600; symbolic links are left alone. */
export function tightenDataDir(dir: string): void {
  const walk = (p: string) => {
    const st = lstatSync(p);
    if (st.isSymbolicLink()) return;
    if (st.isDirectory()) {
      if ((st.mode & 0o777) !== 0o700) chmodQuietly(p, 0o700);
      for (const name of readdirSync(p)) walk(path.join(p, name));
    } else if ((st.mode & 0o777) !== 0o600) chmodQuietly(p, 0o600);
  };
  walk(dir);
}
