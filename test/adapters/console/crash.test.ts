/**
 * kill -9 in the middle of a load of report submissions: every report whose receipt was printed
 * is present and readable after a restart, the interrupted conversation resumes, nothing is
 * duplicated. The real entry point on the embedded database (PGlite, the most fragile case).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Reply } from '../../../src/core/reply.ts';
import { consoleBot, pick } from '../../support/console-process.ts';
import { MAIN } from '../../support/entry.ts';

const dataDir = mkdtempSync(path.join(tmpdir(), 'lantern-crash-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const bot = () => consoleBot({ LANTERN_DATA_DIR: dataDir, REPORT_RATE_LIMIT_PER_HOUR: '1000' });

async function oneReport(say: (l: string) => Promise<Reply>, i: number): Promise<string> {
  let r = await say('/report');
  if (r.choices?.some((c) => c.id.endsWith(':restart'))) r = await say(pick(r, 'restart'));
  r = await say(pick(r, 'cat:surveillance'));
  r = await say('2025-03');
  r = await say(pick(r, 'skip'));
  r = await say(`Report ${i}: a car followed me from the community centre twice this week.`);
  r = await say(pick(r, 'skip'));
  r = await say(pick(r, 'skip'));
  for (const a of ['no', 'no', 'no']) r = await say(pick(r, a));
  r = await say(pick(r, 'submit'));
  return /([0-9A-Z]{4}(?:-[0-9A-Z]{4}){4})/.exec(JSON.stringify(r.blocks))![1]!;
}

describe('crash safety (kill -9 mid-load)', () => {
  it('keeps every acknowledged report and resumes the interrupted one', async () => {
    const first = bot();
    const receipts: string[] = [];
    for (let i = 0; i < 6; i++) receipts.push(await oneReport(first.say, i));
    // Start one more and kill the process between two steps, without warning.
    let r = await first.say('/report');
    r = await first.say(pick(r, 'cat:online_harassment'));
    await first.say('2025-04');
    first.child.kill('SIGKILL');
    await new Promise((resolve) => first.child.on('exit', resolve));

    const second = bot();
    for (const receipt of receipts) {
      const status = await second.say(`/myreports ${receipt}`);
      expect(status.kind, receipt).toBe('answer');
    }
    r = await second.say('/report');
    expect(r.choices?.some((c) => c.id.endsWith(':resume'))).toBe(true);
    r = await second.say(pick(r, 'resume'));
    expect(r.prompt?.field).toBe('where');
    await second.end();

    const triage = spawn(process.execPath, [...MAIN, '--json', '--as', 'triage'], {
      env: { ...process.env, LANTERN_DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
    });
    let out = '';
    triage.stdout.on('data', (d) => (out += d));
    triage.stdin.end('/triage queue new\n');
    await new Promise((resolve) => triage.on('exit', resolve));
    // the notices of reports filed while no triage console ran come first, then the answer
    const lines = out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Reply & { notice?: string });
    expect(lines.filter((l) => l.notice !== undefined).length).toBeGreaterThan(0);
    const queue = lines.find((l) => l.notice === undefined)!;
    expect((queue.blocks[0] as { text: string }).text).toContain(`${receipts.length} reports`);
  });
});
