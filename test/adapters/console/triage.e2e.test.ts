/**
 * The triage team on the console, end to end on the real entry point: the authorization matrix
 * (every action for a non-member, `--as reviewer` and `--as lead`), then a lead's canned reply,
 * block and stats.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Reply } from '../../../src/core/reply.ts';
import { LEAD_ACTIONS, TRIAGE_ACTIONS } from '../../../src/core/triage/triage.service.ts';
import { consoleBot, pick } from '../../support/console-process.ts';
import { textOf } from '../../support/intake-driver.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'lantern-triage-e2e-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const env = { LANTERN_DATA_DIR: path.join(dir, 'data') };

async function fileOne(): Promise<string> {
  const bot = consoleBot(env);
  let r: Reply = await bot.say('/report');
  r = await bot.say(pick(r, 'cat:online_harassment'));
  r = await bot.say(pick(r, 'skip'));
  r = await bot.say(pick(r, 'skip'));
  r = await bot.say('Accounts keep posting my home address in community chat groups.');
  r = await bot.say(pick(r, 'skip'));
  r = await bot.say('none');
  for (const a of ['no', 'no', 'no', 'submit']) r = await bot.say(pick(r, a));
  await bot.end();
  return /(R-[0-9A-Z]{6})/.exec(textOf(r))![1]!;
}

describe('triage on the console', () => {
  it('refuses every action to a non-member, the lead actions to a reviewer, none to a lead', async () => {
    const id = await fileOne();
    const lines = TRIAGE_ACTIONS.map((a) => `/triage ${a} ${id} x`);
    const codes = async (args: string[]) => {
      const bot = consoleBot(env, args);
      const out: (string | undefined)[] = [];
      for (const line of lines) out.push((await bot.say(line)).code);
      await bot.end();
      return out;
    };
    const [stranger, reviewer, lead] = [await codes([]), await codes(['--as', 'reviewer']), await codes(['--as', 'lead'])];
    TRIAGE_ACTIONS.forEach((a, i) => {
      expect(stranger[i], a).toBe('TRIAGE.FORBIDDEN');
      if (LEAD_ACTIONS.has(a)) expect(reviewer[i], a).toBe('TRIAGE.LEAD_ONLY');
      else expect(['TRIAGE.FORBIDDEN', 'TRIAGE.LEAD_ONLY']).not.toContain(reviewer[i]);
      expect(['TRIAGE.FORBIDDEN', 'TRIAGE.LEAD_ONLY']).not.toContain(lead[i]);
    });

    // A lead's tools, end to end: a canned reply in the mailbox, a block, the stats picture.
    const bot = consoleBot(env, ['--as', 'lead', '--save-files', path.join(dir, 'out')]);
    expect(textOf(await bot.say('/triage snippet add safe Are you safe now? | 您现在安全吗？ | 您現在安全嗎？'))).toContain('Saved #safe');
    expect(textOf(await bot.say(`/triage ask ${id} #safe`))).toContain('mailbox');
    expect(textOf(await bot.say(`/triage block ${id} 2h repeated posts`))).toContain('cannot submit reports until');
    expect(textOf(await bot.say('/triage blocks'))).toContain(id);
    const stats = await bot.say('/triage stats');
    expect((stats as Reply & { image?: { path?: string } }).image?.path).toMatch(/lantern-stats\.png$/);
    expect(textOf(await bot.say(`/triage unblock ${id}`))).toContain('lifted');
    await bot.end();
    const reporter = consoleBot(env);
    expect((await reporter.say('/report')).kind).toBe('answer'); // no longer blocked
    await reporter.end();
  }, 240_000);
});
