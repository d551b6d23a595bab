/**
 * Issue #14's structured details, end to end on the real entry point: two reporters, months and
 * places apart, add who contacted them, how, and the number that called; the team sees the details
 * in each report and one cluster for the shared number, shown by its last digits only.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Reply } from '../../../src/core/reply.ts';
import { consoleBot, pick } from '../../support/console-process.ts';
import { textOf } from '../../support/intake-driver.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'lantern-details-e2e-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** One report typed at the console, with the details added from the summary; its public id. */
async function report(env: Record<string, string>, month: string, where: string, number: string): Promise<string> {
  const bot = consoleBot(env);
  let r: Reply = await bot.say('/report');
  r = await bot.say(pick(r, 'cat:family_pressure'));
  r = await bot.say(month);
  r = await bot.say(where);
  if (r.choices?.some((c) => /:st:0$/.test(c.id))) r = await bot.say(pick(r, 'skip'));
  r = await bot.say('A caller said my parents would lose their pension unless I came back.');
  r = await bot.say(pick(r, 'skip'));
  r = await bot.say('none');
  for (const no of ['no', 'no', 'no']) r = await bot.say(pick(r, no));
  r = await bot.say(pick(r, 'details'));
  r = await bot.say(pick(r, 'who:police_china'));
  r = await bot.say(pick(r, 'how:phone'));
  r = await bot.say(pick(r, 'done'));
  r = await bot.say(pick(r, 'family:pressured'));
  r = await bot.say(number);
  expect(textOf(r)).toContain(`Their numbers or accounts: ${number}`);
  r = await bot.say(pick(r, 'submit'));
  await bot.end();
  return /(R-[0-9A-Z]{6})/.exec(textOf(r))![1]!;
}

describe('the optional details, end to end on the console', () => {
  it('reach the team in the report, and a shared number makes a cluster', async () => {
    const env = { LANTERN_DATA_DIR: path.join(dir, 'data') };
    const first = await report(env, '2026-02', 'Lyon', '+44 7700 900123');
    const second = await report(env, '2026-08', 'Bremen', 'phone: 07700 900123');
    const lead = consoleBot(env, ['--as', 'lead']);
    const view = textOf(await lead.say(`/triage view ${first}`));
    expect(view).toContain('Who contacted the reporter: Police or state security in China');
    expect(view).toContain('How: Phone call or text message');
    expect(view).toContain('Family in China: Yes, pressured or threatened');
    const clusters = textOf(await lead.say('/triage clusters'));
    expect(clusters).toContain(`Same phone number (…0123): ${first}, ${second}`);
    expect(clusters).not.toContain('7700');
    await lead.end();
  }, 240_000);
});
