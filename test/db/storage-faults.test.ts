/**
 * The embedded database (PGlite) when its disk is read-only or full, through the real entry point
 * (`node dist/src/main.js`, commands on stdin) on small tmpfs mounts: a clear one-line
 * refusal at start, never a stack trace; a receipt only for a report that was saved; no hang when
 * PostgreSQL PANICs on a WAL write; recovery by itself once there is space; nothing acknowledged
 * lost. Mounting needs root (CAP_SYS_ADMIN): in CI it must work, elsewhere the file is left out.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statfsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Reply } from '../../src/core/reply.ts';
import { consoleBot, pick, type ConsoleBot } from '../support/console-process.ts';
import { MAIN } from '../support/entry.ts';

const MiB = 2 ** 20;
const root = mkdtempSync(path.join(tmpdir(), 'lantern-storage-'));
const mounted: string[] = [];
const running: ConsoleBot[] = [];

function mount(dir: string, options: string) {
  mkdirSync(dir, { recursive: true });
  execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], { stdio: 'pipe' });
  mounted.push(dir);
}
const remount = (dir: string, options: string) => execFileSync('mount', ['-o', `remount,${options}`, dir], { stdio: 'pipe' });
const filler = (dir: string) => path.join(dir, 'filler');
/** Fills the file system holding `dir` up to `leave` bytes free (dd stops at ENOSPC when leave is 0). */
function fill(dir: string, leave = 0) {
  const { bavail, bsize } = statfsSync(dir);
  const count = leave ? [`count=${Math.floor((bavail * bsize - leave) / MiB)}`] : [];
  spawnSync('dd', ['if=/dev/zero', `of=${filler(dir)}`, 'bs=1M', ...count], { stdio: 'ignore' });
}
const unfill = (dir: string) => rmSync(filler(dir), { force: true });

const canMount = (() => {
  try {
    mount(path.join(root, 'probe'), 'size=1m');
    return true;
  } catch (e) {
    const why = (e as { stderr?: Buffer }).stderr?.toString().trim() || (e as Error).message;
    if (process.env.CI === 'true')
      throw new Error(
        `CI=true but the storage-fault tests cannot mount tmpfs (${why}): they need root with CAP_SYS_ADMIN, and CI must run them.`,
        { cause: e },
      );
    console.log(`storage-fault tests left out: mounting tmpfs needs root with CAP_SYS_ADMIN (${why.split('\n')[0]}).`);
    return false;
  }
})();

afterAll(() => {
  for (const bot of running) bot.child.kill('SIGKILL');
  for (const dir of mounted.reverse()) if (spawnSync('umount', [dir]).status !== 0) spawnSync('umount', ['-l', dir]);
  rmSync(root, { recursive: true, force: true });
});

/** No platform, no PostgreSQL, no HTTP: only the console on the embedded database. */
const PLATFORM = /^(TELEGRAM_|DISCORD_|DATABASE_URL$|HTTP_PORT$)/;
const cleanEnv = () => Object.fromEntries(Object.entries(process.env).filter(([k]) => !PLATFORM.test(k)));
/** consoleBot adds process.env under what it is given: blank the platform variables (empty means unset). */
const blanked = () =>
  Object.fromEntries(
    Object.keys(process.env)
      .filter((k) => PLATFORM.test(k))
      .map((k) => [k, '']),
  );

/** Starts the bot on `dataDir` with one lookup on stdin, expecting a refusal. */
function start(dataDir: string) {
  const began = Date.now();
  const r = spawnSync(process.execPath, [...MAIN, '--json'], {
    env: { ...cleanEnv(), LANTERN_DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
    input: '/lookup Prato\n',
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, ms: Date.now() - began };
}

/** One line, `lantern: …`, naming the directory, no stack trace, no answer, exit 1 within seconds. */
function expectRefusal(r: ReturnType<typeof start>, dataDir: string, says: RegExp) {
  expect(r.code, r.stderr).toBe(1);
  expect(r.ms).toBeLessThan(15_000);
  expect(r.stderr.trimEnd().split('\n'), r.stderr).toHaveLength(1);
  expect(r.stderr).toMatch(/^lantern: /);
  expect(r.stderr).toContain(dataDir);
  expect(r.stderr).toMatch(says);
  expect(r.stderr).not.toMatch(/^\s+at /m);
  expect(r.stdout).toBe('');
}

const receiptOf = (r: Reply) => /([0-9A-Z]{4}(?:-[0-9A-Z]{4}){4})/.exec(JSON.stringify(r.blocks))?.[1];
const publicIdOf = (r: Reply) => /(R-[0-9A-Z]{6})/.exec(JSON.stringify(r.blocks))?.[1];

/** The bot on `dataDir`, its stderr kept; every answer must come within `ms` (a hang fails, not times out). */
function bot(dataDir: string) {
  const b = consoleBot({ ...blanked(), LANTERN_DATA_DIR: dataDir, REPORT_RATE_LIMIT_PER_HOUR: '1000', LOG_LEVEL: 'error' }, [], {
    fresh: true,
  });
  running.push(b);
  let stderr = '';
  b.child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  // The first answer also waits for the start (creating a new database takes ~10 s on a busy machine).
  let first = true;
  const say = (line: string, ms?: number) => {
    const limit = ms ?? (first ? 40_000 : 10_000);
    first = false;
    return Promise.race([
      b.say(line),
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error(`no answer to "${line.slice(0, 40)}" within ${limit} ms`)), limit).unref(),
      ),
    ]);
  };
  const end = (ms = 15_000) =>
    Promise.race([
      b.end(),
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error(`the bot did not exit within ${ms} ms of the end of input`)), ms).unref(),
      ),
    ]);
  return { say, end, stderr: () => stderr };
}
type Say = ReturnType<typeof bot>['say'];

/**
 * Files one report; returns the last reply: the receipt, or the first step that was not an answer.
 * `images` are attached (as /attach <path>) at the evidence step.
 */
async function fileReport(say: Say, what: string, images: string[] = []): Promise<Reply> {
  let r = await say('/report');
  if (r.kind === 'answer' && r.choices?.some((c) => c.id.endsWith(':restart'))) r = await say(pick(r, 'restart'));
  const steps: ((r: Reply) => string)[] = [
    (x) => pick(x, 'cat:surveillance'),
    () => '2025-03',
    (x) => pick(x, 'skip'),
    () => what,
    ...images.map((file) => () => `/attach ${file}`),
    (x) => pick(x, images.length ? 'done' : 'skip'),
    (x) => pick(x, 'skip'),
    (x) => pick(x, 'no'),
    (x) => pick(x, 'no'),
    (x) => pick(x, 'no'),
    (x) => pick(x, 'submit'),
  ];
  for (const step of steps) {
    if (r.kind !== 'answer') return r;
    r = await say(step(r));
  }
  return r;
}

/** A refusal for lack of space: the clear localized answer, no receipt, nothing internal. */
function expectStorageFull(r: Reply) {
  expect(r.kind).toBe('error');
  expect(r.code).toBe('STORAGE.FULL');
  expect(receiptOf(r)).toBeUndefined();
  const text = JSON.stringify(r.blocks);
  expect(text).toMatch(/storage is full/);
  expect(text).not.toMatch(/\bat .+:\d+:\d+|Invalid `prisma|53100|xlogtemp/);
}

describe.runIf(canMount)('the embedded database on a read-only or full disk', () => {
  describe('refuses to create a new one, with one clear line', () => {
    it('on a read-only file system: names the directory and says what to do', () => {
      const dir = path.join(root, 'ro');
      mount(dir, 'size=1m,ro');
      // the directory itself (exists, empty: the lock cannot be created) and one inside it (cannot be made)
      for (const dataDir of [dir, path.join(dir, 'data')]) {
        expectRefusal(start(dataDir), dataDir, /not writable \(EROFS\).*LANTERN_DATA_DIR/);
      }
    });

    it('on a full file system: says the disk is full, and leaves no lock file behind', () => {
      const dir = path.join(root, 'full');
      mount(dir, 'size=2m');
      mkdirSync(path.join(dir, 'data'));
      fill(dir);
      const dataDir = path.join(dir, 'data');
      expectRefusal(start(dataDir), dataDir, /full \(ENOSPC.*Free space/);
      expect(readdirSync(dataDir)).toEqual([]);
    });
  });

  describe('one data disk, from new to full and back', () => {
    const dir = path.join(root, 'disk');
    const dataDir = path.join(dir, 'data');
    const image = path.join(root, 'noise.png');
    // two different images: the same one twice is refused as a duplicate (REPORT.DUPLICATE_FILE)
    const image2 = path.join(root, 'noise-2.png');
    const receipts: { receipt: string; publicId: string }[] = [];
    const keep = (r: Reply) => {
      const receipt = receiptOf(r);
      expect(receipt, JSON.stringify(r.blocks)).toBeDefined();
      receipts.push({ receipt: receipt!, publicId: publicIdOf(r)! });
    };

    beforeAll(async () => {
      // ~3 MB that no compression shrinks: evidence that makes the database (and its WAL) grow fast
      for (const file of [image, image2])
        await sharp(randomBytes(1000 * 1000 * 3), { raw: { width: 1000, height: 1000, channels: 3 } })
          .png({ compressionLevel: 1 })
          .toFile(file);
    });

    it('without room for a new database (~40 MB): refused up front, nothing written; it starts once there is room', async () => {
      mount(dir, 'size=24m');
      expectRefusal(start(dataDir), dataDir, /nearly full \(\d+ MB free; a new embedded database needs about 64 MB\)/);
      expect(existsSync(path.join(dataDir, 'pglite'))).toBe(false);
      expect(existsSync(path.join(dataDir, 'lantern.lock'))).toBe(false);

      remount(dir, 'size=200m');
      const first = bot(dataDir);
      keep(await fileReport(first.say, 'A man filmed our meeting and then followed me home.'));
      expect(await first.end()).toBe(0);
    }, 60_000);

    it('when the disk has become read-only: refused with one clear line; the reports are intact once it is writable', async () => {
      remount(dir, 'ro');
      expectRefusal(start(dataDir), dataDir, /not writable \(EROFS\)/);

      remount(dir, 'rw');
      const again = bot(dataDir);
      const status = await again.say(`/myreports ${receipts[0]!.receipt}`);
      expect(status.kind).toBe('answer');
      expect(JSON.stringify(status.blocks)).toContain(receipts[0]!.publicId);
      expect(await again.end()).toBe(0);
    });

    it('when the disk fills up while it runs: no receipt for what was not saved, no hang, recovers by itself', async () => {
      const b = bot(dataDir);
      expect((await b.say('/lookup Prato')).kind).toBe('answer');

      // 1. Completely full: the first write needing a new page fails (a plain ERROR, 53100).
      fill(dir);
      let refused: Reply | undefined;
      for (let i = 0; i < 20 && !refused; i++) {
        const r = await fileReport(b.say, `Report ${i}. ${'A car followed me from the community centre. '.repeat(60)}`);
        if (r.kind === 'answer') keep(r);
        else refused = r;
      }
      expect(refused, 'the full disk never refused a write').toBeDefined();
      expectStorageFull(refused!);
      expect((await b.say('/lookup Prato')).kind).toBe('answer'); // still running

      // 2. Room for the tables but not for a new 16 MB WAL segment: PostgreSQL PANICs. PGlite would
      // then spin forever on the next call; the bot must answer at once instead.
      unfill(dir);
      fill(dir, 15 * MiB);
      refused = undefined;
      for (let i = 0; i < 10 && !refused; i++) {
        const r = await fileReport(b.say, `Report with images ${i}: they photographed my parents' house.`, [image, image2]);
        if (r.kind === 'answer') keep(r);
        else refused = r;
      }
      expect(refused, 'the WAL never ran out of space').toBeDefined();
      expectStorageFull(refused!);
      expect(b.stderr()).toMatch(/pg_wal\/xlogtemp.*No space left on device/); // it was the PANIC
      const meanwhile = await b.say('/report', 3_000);
      expect(meanwhile.code).toBe('STORAGE.FULL'); // at once, not a hang
      expect((await b.say('/lookup Prato', 3_000)).kind).toBe('answer');

      // 3. Space again: within seconds the same process takes reports again.
      unfill(dir);
      let back: Reply | undefined;
      for (let t = 0; t < 20 && back?.kind !== 'answer'; t++) {
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        back = await b.say(`/myreports ${receipts[0]!.receipt}`);
      }
      expect(back?.kind, 'the bot did not recover once the disk had room').toBe('answer');
      keep(await fileReport(b.say, 'After the disk was freed: someone called my mother about me.'));
      expect(await b.end()).toBe(0); // and nothing of the stopped database keeps the process alive

      // Every receipt handed out holds after a restart.
      const check = bot(dataDir);
      for (const { receipt, publicId } of receipts) {
        const r = await check.say(`/myreports ${receipt}`);
        expect(r.kind, receipt).toBe('answer');
        expect(JSON.stringify(r.blocks)).toContain(publicId);
      }
      expect(await check.end()).toBe(0);
    }, 80_000);
  });
});
