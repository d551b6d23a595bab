/** The embedded data directory: 0700 directories and 0600 files, also when an older version left them open. */
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/client.ts';

function modes(dir: string): { dirs: Map<string, number>; files: Map<string, number> } {
  const dirs = new Map<string, number>();
  const files = new Map<string, number>();
  const walk = (p: string) => {
    const st = statSync(p);
    if (st.isDirectory()) {
      dirs.set(p, st.mode & 0o777);
      for (const n of readdirSync(p)) walk(path.join(p, n));
    } else files.set(p, st.mode & 0o777);
  };
  walk(dir);
  return { dirs, files };
}

describe('data directory', () => {
  it('is created 0700 with every file 0600, and an existing open one is tightened', async () => {
    const parent = mkdtempSync(path.join(tmpdir(), 'lantern-modes-'));
    const data = path.join(parent, 'data');
    try {
      mkdirSync(data, { mode: 0o755 });
      chmodSync(data, 0o755);
      writeFileSync(path.join(data, 'old-keys.json'), '{}', { mode: 0o644 });
      chmodSync(path.join(data, 'old-keys.json'), 0o644);
      const db = await openDatabase({ dataDir: data });
      await db.prisma.auditEvent.create({ data: { actorHash: 'x', action: 'x' } });
      await db.close();
      const m = modes(data);
      expect(m.files.size).toBeGreaterThan(100); // PGlite's files are all there
      expect([...m.dirs].filter(([, mode]) => mode !== 0o700)).toEqual([]);
      expect([...m.files].filter(([, mode]) => mode !== 0o600)).toEqual([]);
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  }, 120_000);
});
