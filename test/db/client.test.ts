import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lockDataDir, openDatabase, StorageError } from '../../src/db/client.ts';

const tmp = () => mkdtempSync(path.join(tmpdir(), 'lantern-client-'));

describe('database client', () => {
  describe('the embedded data directory lock', () => {
    it('refuses a second holder with a message saying what to do', () => {
      const dir = tmp();
      const unlock = lockDataDir(dir);
      try {
        expect(() => lockDataDir(dir)).toThrow(StorageError);
        expect(() => lockDataDir(dir)).toThrow(
          /in use by another Lantern process \(pid \d+\): a bot or an admin command.*stop that process first/,
        );
      } finally {
        unlock();
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('takes over a stale lock left by a crashed process', () => {
      const dir = tmp();
      writeFileSync(path.join(dir, 'lantern.lock'), JSON.stringify({ pid: 2 ** 22 + 12345, host: hostname() }));
      const unlock = lockDataDir(dir);
      expect(JSON.parse(readFileSync(path.join(dir, 'lantern.lock'), 'utf8')).pid).toBe(process.pid);
      unlock();
      rmSync(dir, { recursive: true, force: true });
    });

    it('says clearly when the data directory is not writable', () => {
      if (process.getuid?.() === 0) {
        // root ignores permissions: use a path under a file instead, which no one can create
        const file = path.join(tmp(), 'a-file');
        writeFileSync(file, '');
        expect(() => lockDataDir(path.join(file, 'data'))).toThrow(/Cannot create the data directory .*ENOTDIR.*LANTERN_DATA_DIR/);
        return;
      }
      const dir = tmp();
      chmodSync(dir, 0o500);
      expect(() => lockDataDir(dir)).toThrow(/not writable/);
    });

    it('a second process opening the same data directory gets the clear message, not a crash', async () => {
      const dir = tmp();
      const db = await openDatabase({ dataDir: dir });
      try {
        const child = spawnSync(
          process.execPath,
          [
            '--import',
            'tsx',
            '-e',
            `import('./src/db/client.ts').then(m => m.openDatabase({ dataDir: ${JSON.stringify(dir)} })).then(() => process.exit(0), e => { console.error(e.message); process.exit(e.name === 'Error' && e.constructor.name === 'StorageError' ? 3 : 4); })`,
          ],
          { encoding: 'utf8', cwd: process.cwd() },
        );
        expect(child.stderr).toMatch(/in use by another Lantern process/);
        expect(child.status).toBe(3);
      } finally {
        await db.close();
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe('PostgreSQL', () => {
    it('reports an unreachable server as a StorageError naming DATABASE_URL', async () => {
      await expect(openDatabase({ dataDir: '', databaseUrl: 'postgresql://nobody@127.0.0.1:1/none' })).rejects.toThrow(
        /Cannot use PostgreSQL at DATABASE_URL/,
      );
    });
  });
});
