/**
 * The embedded database (PGlite) on a disk that is read-only or full: a clear error at start, and
 * while running a clear answer instead of a receipt for anything that could not be saved — never
 * silent loss. The real entry point, on small tmpfs mounts (we run as root here and in CI).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Reply } from '../../src/core/reply.ts';
import { consoleBot, pick } from '../support/console-process.ts';
import { MAIN } from '../support/entry.ts';

const root = mkdtempSync(path.join(tmpdir(), 'lantern-disk-'));
const mounted: string[] = [];

function mount(dir: string, options: string) {
  mkdirSync(dir, { recursive: true });
  execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir]);
  mounted.push(dir);
}
const remount = (dir: string, mode: 'ro' | 'rw') => execFileSync('mount', ['-o', `remount,${mode}`, dir]);
/** Fills the file system holding `dir` (dd stops at ENOSPC). */
const fill = (dir: string) => spawnSync('dd', ['if=/dev/zero', `of=${path.join(dir, 'filler')}`, 'bs=1M'], { stdio: 'ignore' });
const unfill = (dir: string) => rmSync(path.join(dir, 'filler'), { force: true });

const canMount = (() => {
  try {
    mount(path.join(root, 'probe'), 'size=1m');
    return true;
  } catch {
    return false;
  }
})();
if (!canMount) {
  if (process.env.CI === 'true') throw new Error('the disk-fault tests need to mount tmpfs (root with CAP_SYS_ADMIN); CI must run them');
  console.log('disk-fault tests left out: mounting tmpfs needs root (CAP_SYS_ADMIN)');
}

afterAll(() => {
  for (const dir of mounted.reverse()) spawnSync('umount', ['-l', dir]);
  rmSync(root, { recursive: true, force: true });
});

/** Starts the bot on `dataDir`, expecting it to refuse: exit code and stderr. */
function startRefused(dataDir: string) {
  const r = spawnSync(process.execPath, [...MAIN, '--json'], {
    env: { ...cleanEnv(), LANTERN_DATA_DIR: dataDir },
    input: '/lookup Prato\n',
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status, stderr: r.stderr, stdout: r.stdout };
}

function cleanEnv() {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(TELEGRAM_|DISCORD_|HTTP_PORT|DATABASE_URL|LANTERN_)/.test(k)));
}

const receiptOf = (r: Reply) => /([0-9A-Z]{4}(?:-[0-9A-Z]{4}){4})/.exec(JSON.stringify(r.blocks))?.[1];

describe.runIf(canMount)('the embedded database on a read-only or full disk', () => {
  it('refuses to start on a read-only file system, with one clear line', () => {
    const dir = path.join(root, 'ro');
    mount(dir, 'size=10m,ro');
    const r = startRefused(path.join(dir, 'data'));
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/lantern: .*data.*(not writable|EROFS)/);
    expect(r.stderr).toContain('LANTERN_DATA_DIR');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stdout).toBe('');
  });

  it('refuses to start on a full disk, saying so', () => {
    const dir = path.join(root, 'full');
    mount(dir, 'size=2m');
    fill(dir);
    const r = startRefused(path.join(dir, 'data'));
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/full|ENOSPC/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stdout).toBe('');
  });

  describe('with reports already saved', () => {
    const dir = path.join(root, 'data-disk');
    const dataDir = path.join(dir, 'data');
    const receipts: string[] = [];
    const bot = () => consoleBot({ ...cleanEnv(), LANTERN_DATA_DIR: dataDir, REPORT_RATE_LIMIT_PER_HOUR: '1000', LOG_LEVEL: 'fatal' });

    /** Answers the report's steps up to (not including) the summary's submit. */
    async function upToSubmit(say: (l: string) => Promise<Reply>, what: string): Promise<Reply> {
      let r = await say('/report');
      if (r.choices?.some((c) => c.id.endsWith(':restart'))) r = await say(pick(r, 'restart'));
      r = await say(pick(r, 'cat:surveillance'));
      r = await say('2025-03');
      r = await say(pick(r, 'skip'));
      r = await say(what);
      r = await say(pick(r, 'skip'));
      r = await say(pick(r, 'skip'));
      for (const a of ['no', 'no', 'no']) r = await say(pick(r, a));
      return r;
    }

    it('refuses to start when the disk became read-only, and the data is intact once it is writable again', async () => {
      mount(dir, 'size=200m');
      const first = bot();
      const r = await first.say(pick(await upToSubmit(first.say, 'A man filmed our meeting and followed me home.'), 'submit'));
      receipts.push(receiptOf(r)!);
      expect(await first.end()).toBe(0);

      remount(dir, 'ro');
      const refused = startRefused(dataDir);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/not writable|EROFS|read-only/);
      expect(refused.stderr).not.toMatch(/\n\s+at /);

      remount(dir, 'rw');
      const again = bot();
      expect((await again.say(`/myreports ${receipts[0]}`)).kind).toBe('answer');
      expect(await again.end()).toBe(0);
    }, 120_000);

    it('while running on a disk that fills up: no receipt for what could not be saved, a clear answer, nothing lost', async () => {
      const b = bot();
      expect((await b.say('/lookup Prato')).kind).toBe('answer'); // up and running
      fill(dir);
      // Keep filing long reports until the full disk refuses one (the database's preallocated
      // space absorbs the first few writes).
      let refused: Reply | undefined;
      for (let i = 0; i < 60 && !refused; i++) {
        let r = await b.say('/report');
        const steps: ((r: Reply) => string)[] = [
          (x) => (x.choices?.some((c) => c.id.endsWith(':restart')) ? pick(x, 'restart') : pick(x, 'cat:surveillance')),
        ];
        if (r.kind !== 'answer') refused = r;
        else {
          r = await b.say(steps[0]!(r));
          if (r.choices?.some((c) => c.id.endsWith(':cat:surveillance'))) r = await b.say(pick(r, 'cat:surveillance'));
          for (const line of [
            '2025-03',
            null,
            `Report ${i}. ${'A car followed me from the community centre. '.repeat(80)}`,
            null,
            null,
            'no',
            'no',
            'no',
            'submit',
          ]) {
            if (r.kind !== 'answer') break;
            r = await b.say(line === null ? pick(r, 'skip') : ['no', 'submit'].includes(line) ? pick(r, line) : line);
          }
          if (r.kind !== 'answer') refused = r;
          else receipts.push(receiptOf(r)!);
        }
      }
      expect(refused, 'the full disk never refused a write').toBeDefined();
      expect(refused!.code).toBe('STORAGE.FULL');
      expect(receiptOf(refused!)).toBeUndefined();
      expect(JSON.stringify(refused!.blocks)).toMatch(/storage is full/);
      expect(JSON.stringify(refused!.blocks)).not.toMatch(/\bat .+:\d+:\d+/);
      // Still running and answering what needs no writing.
      expect((await b.say('/lookup Prato')).kind).toBe('answer');

      // Space again: the person carries on where they were, and every receipt handed out holds.
      unfill(dir);
      let r = await b.say('/report');
      if (r.choices?.some((c) => c.id.endsWith(':resume'))) r = await b.say(pick(r, 'restart'));
      r = await b.say(pick(await upToSubmit(b.say, 'After the disk was freed: a new report.'), 'submit'));
      receipts.push(receiptOf(r)!);
      expect(await b.end()).toBe(0);

      const check = bot();
      for (const receipt of receipts) expect((await check.say(`/myreports ${receipt}`)).kind, receipt).toBe('answer');
      expect(await check.end()).toBe(0);
    }, 180_000);
  });
});
