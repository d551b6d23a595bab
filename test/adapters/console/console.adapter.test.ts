/**
 * The console adapter end to end: the real entry point (`npm start`'s command) with piped stdin,
 * on a fresh embedded database, in text and --json modes, in three languages, a full report
 * filed, checked and reviewed by the triage team, and the start-up failures.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Reply } from '../../../src/core/reply.ts';
import { fromTemplate } from '../../support/data-dir-template.ts';
import { consoleBot, pick } from '../../support/console-process.ts';
import { MAIN } from '../../support/entry.ts';

const dataDir = mkdtempSync(path.join(tmpdir(), 'lantern-console-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function start(
  lines: string[],
  args: string[] = [],
  env: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const dir = env.LANTERN_DATA_DIR ?? dataDir;
    if (!dir.startsWith('/proc')) fromTemplate(dir); // a working bot, not a first start (that has its own test below)
    const child = spawn(process.execPath, [...MAIN, ...args], {
      env: { ...process.env, LANTERN_DATA_DIR: dataDir, LOG_LEVEL: 'warn', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(lines.join('\n') + '\n');
  });
}

const json = (stdout: string) =>
  stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Reply);

describe('console adapter', () => {
  it('answers /lookup New York with a cited answer and exits 0 at end of input', async () => {
    const r = await start(['/lookup New York']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('New York');
    expect(r.stdout).toMatch(/\[1\]/);
    expect(r.stdout).toContain('-- Sources --');
    expect(r.stdout).toMatch(/“.+”/);
  });

  it('prints one JSON reply per line with --json', async () => {
    // (Atlantis is a real town in the gazetteer now: "Xqzvwpt" is no place at all.)
    const r = await start(['/lookup Toronto', '/lookup Xqzvwpt', '/help'], ['--json']);
    expect(r.code).toBe(0);
    const replies = json(r.stdout);
    expect(replies).toHaveLength(3);
    expect(replies[0]!.citations.length).toBeGreaterThan(0);
    expect(replies[1]!.code).toBe('LOOKUP.NOT_FOUND');
    expect(replies[2]!.kind).toBe('answer');
  });

  it('speaks Traditional Chinese with --locale zh-Hant, and switches with /language', async () => {
    const r = await start(['/lookup 紐約', '/language zh-Hans', '/lookup 纽约'], ['--locale', 'zh-Hant']);
    expect(r.stdout).toContain('狀態');
    expect(r.stdout).toContain('语言已设为简体中文');
    expect(r.stdout).toContain('状态');
  });

  it('answers an unknown command and plain text clearly, and keeps going', async () => {
    const r = await start(['/frobnicate', 'hello', '/lookup Prato'], ['--locale', 'en']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('I don’t know that command');
    expect(r.stdout).toContain('Prato');
    expect(r.stderr).not.toMatch(/at .*\.ts:\d+/);
  });

  it('files a report, checks it with the receipt, and the triage team reviews it', async () => {
    // One process, one conversation: each answer depends on the previous reply's choices.
    const { say, end: endBot } = consoleBot({ LANTERN_DATA_DIR: path.join(dataDir, 'report') });
    let r = await say('/report');
    r = await say(pick(r, 'cat:persuade_return'));
    r = await say('2025-11');
    r = await say('Prato');
    r = await say(pick(r, 'st:0'));
    r = await say('A man from the association said my parents would suffer if I did not go back.');
    r = await say(pick(r, 'skip'));
    r = await say(pick(r, 'skip'));
    r = await say(pick(r, 'yes'));
    r = await say(pick(r, 'no'));
    r = await say(pick(r, 'no'));
    expect(r.blocks.some((b) => b.type === 'item' && b.lines.some((l) => l.text.includes('my parents would suffer')))).toBe(true);
    r = await say(pick(r, 'submit'));
    const text = JSON.stringify(r.blocks);
    const receipt = /([0-9A-Z]{4}(?:-[0-9A-Z]{4}){4})/.exec(text)![1]!;
    const id = /(R-[0-9A-Z]{6})/.exec(text)![1]!;
    r = await say(`/myreports ${receipt}`);
    expect(JSON.stringify(r.blocks)).toContain(id);
    r = await say('/triage queue');
    expect(r.code).toBe('TRIAGE.FORBIDDEN');
    await endBot();

    const exportsDir = path.join(dataDir, 'exports');
    const lines = [
      '/triage queue new',
      `/triage view ${id}`,
      `/triage claim ${id}`,
      `/triage status ${id} in_review`,
      `/triage severity ${id} high`,
      `/triage note ${id} 已聯絡合作夥伴`,
      `/triage link ${id} Prato`,
      `/triage status ${id} verified`,
      '/triage clusters',
      '/triage export ngo verified',
      `/triage status ${id} referred`,
      `/triage status ${id} closed`,
      `/triage audit ${id}`,
    ];
    const triage = await start(lines, ['--as', 'triage', '--json', '--locale', 'zh-Hant', '--save-files', exportsDir], {
      LANTERN_DATA_DIR: path.join(dataDir, 'report'),
    });
    // The notice of the report filed while no triage console ran is shown on start, without content.
    const all = triage.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Reply & { notice?: string });
    const notices = all.filter((l) => l.notice !== undefined).map((l) => l.notice!);
    expect(notices.join('\n')).toContain(`新報告 ${id}`);
    expect(notices.join('\n')).not.toContain('my parents');
    const done = all.filter((l) => l.notice === undefined);
    expect(done).toHaveLength(lines.length);
    done.forEach((r, i) => expect(r.kind, `${lines[i]}: ${JSON.stringify(r.blocks)}`).toBe('answer'));
    expect(JSON.stringify(done[0]!.blocks)).not.toContain('my parents would suffer');
    expect(JSON.stringify(done[1]!.blocks)).toContain('my parents would suffer');
    expect(JSON.stringify(done[1]!.blocks)).toContain('報告');
    const jsonFile = readdirSync(exportsDir).find((f) => f.endsWith('-reports.json'))!;
    const exported = JSON.parse(readFileSync(path.join(exportsDir, jsonFile), 'utf8')) as { id: string }[];
    expect(exported.map((e) => e.id)).not.toContain(id); // no NGO consent: not in the NGO export
    expect(JSON.stringify(done[9]!.files)).toContain('sha256');
    const auditText = JSON.stringify(done[12]!.blocks);
    for (const action of ['report.viewed', 'report.claimed', 'report.status', 'report.severity', 'report.noted', 'report.linked'])
      expect(auditText).toContain(action);

    const erase = await start([`/forget ${receipt}`, `/myreports ${receipt}`], ['--json', '--locale', 'zh-Hans'], {
      LANTERN_DATA_DIR: path.join(dataDir, 'report'),
    });
    const [gone, after] = json(erase.stdout);
    expect(gone!.kind).toBe('answer');
    expect(JSON.stringify(gone!.blocks)).toContain('已删除');
    expect(after!.code).toBe('REPORT.RECEIPT_UNKNOWN');
  });

  it('speaks the terminal’s language (LANG), explains /attach, and asks the step again after a command', async () => {
    const r = await start(['/attach', '/report', '/help', '/lookup Zzqxv', '/cancel'], [], { LANG: 'zh_CN.UTF-8' });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('请输入 /attach 加上图片的路径');
    expect(r.stdout).not.toContain('不认识');
    expect(r.stdout).toContain('您的报告仍在填写中');
    expect(r.stdout).toContain('也没有相近的名称');
  });

  it('prints the first-start line on stderr and pure JSON on stdout through npm start --silent', async () => {
    const child = spawn('npm', ['start', '--silent', '--', '--json'], {
      env: { ...process.env, LANTERN_DATA_DIR: path.join(dataDir, 'fresh'), LOG_LEVEL: 'warn' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.stdin.end('/help\n/lookup Prato\n');
    expect(await new Promise((resolve) => child.on('exit', resolve))).toBe(0);
    expect(stderr).toContain('Preparing the database (first start)…');
    expect(json(stdout)).toHaveLength(2); // every stdout line parses: no npm banner
  }, 240_000); // a first start: seconds alone, minutes on a machine shared by a whole test run

  describe('fails fast at start with one clear line', () => {
    it('exits 1 at once on a data directory that cannot be created (/proc)', async () => {
      const r = await start(['/help'], [], { LANTERN_DATA_DIR: '/proc/nope' });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('Cannot create the data directory /proc/nope');
    });

    it('exits 2 on a malformed DATABASE_URL, naming it and hiding its value', async () => {
      const r = await start(['/help'], [], { DATABASE_URL: 'mysql://user:hunter2@db/x' });
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain('DATABASE_URL');
      expect(r.stderr).not.toContain('hunter2');
      expect(r.stdout).toBe('');
    });

    it('exits 2 on an unknown locale', async () => {
      const r = await start(['/help'], ['--locale', 'fr']);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/unknown locale "fr"/);
    });

    it('exits 2 on an unknown default locale in the environment', async () => {
      const r = await start(['/help'], [], { LANTERN_DEFAULT_LOCALE: 'de' });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('LANTERN_DEFAULT_LOCALE');
    });
  });
});
