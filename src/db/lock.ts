/**
 * The data directory's lock file: the embedded database belongs to one process at a time.
 */
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { StorageError, unwritable } from './storage-error.ts';

/**
 * mkdir -p, one level at a time: Node 20's recursive mkdirSync never returns for a path under
 * /proc (it retries the ENOENT for ever), so LANTERN_DATA_DIR=/proc/x would hang silently.
 */
function makeDirs(dir: string): void {
  const missing: string[] = [];
  for (let d = path.resolve(dir); !existsSync(d); d = path.dirname(d)) {
    missing.unshift(d);
    if (path.dirname(d) === d) break;
  }
  for (const d of missing) mkdirSync(d);
}

/** Takes the data directory's lock; throws StorageError if another live process holds it. */
export function lockDataDir(dataDir: string): () => void {
  try {
    makeDirs(dataDir);
  } catch (err) {
    // A recursive mkdir reports ENOENT on a read-only file system: ask once more, for the real reason.
    let code = (err as NodeJS.ErrnoException).code;
    try {
      mkdirSync(dataDir);
    } catch (again) {
      code = (again as NodeJS.ErrnoException).code ?? code;
    }
    throw (
      unwritable(dataDir, code) ??
      new StorageError(
        `Cannot create the data directory ${dataDir}: ${code ?? (err as Error).message}. Set LANTERN_DATA_DIR to a writable directory.`,
      )
    );
  }
  const lockPath = path.join(dataDir, 'lantern.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockPath, 'wx', 0o600);
      try {
        writeSync(fd, JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString() }));
      } catch (err) {
        // A full disk has room for the name but not the content: leave no empty lock behind.
        rmSync(lockPath, { force: true });
        throw err;
      } finally {
        closeSync(fd);
      }
      return () => rmSync(lockPath, { force: true });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const problem = unwritable(dataDir, code);
      if (problem) throw problem;
      if (code !== 'EEXIST') throw err;
      let holder: { pid?: number; host?: string } = {};
      try {
        holder = JSON.parse(readFileSync(lockPath, 'utf8')) as typeof holder;
      } catch {
        /* unreadable or half-written lock: treat as stale */
      }
      if (holder.pid && holder.host === hostname() && isAlive(holder.pid))
        throw new StorageError(
          `The embedded database in ${dataDir} is in use by another Lantern process (pid ${holder.pid}): a bot or an admin command. The embedded database belongs to one process at a time: stop that process first, or give this one its own LANTERN_DATA_DIR; to run several bots or admin commands at once, use PostgreSQL (DATABASE_URL).`,
        );
      rmSync(lockPath, { force: true }); // stale lock from a crashed process
    }
  }
  throw new StorageError(`Could not take the lock on ${dataDir}.`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
