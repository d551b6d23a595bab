/**
 * Issue #14's mailbox, end to end on the real entry point: the team asks in the report's
 * mailbox; the reporter opens it with the receipt, reads the question, answers and adds an
 * image; the team sees both in the same report, back in review, after a notice that says only
 * that there is an answer.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import type { Reply } from '../../../src/core/reply.ts';
import { consoleBot, pick } from '../../support/console-process.ts';
import { textOf } from '../../support/intake-driver.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'lantern-mailbox-e2e-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const QUESTION = 'Which day did they call your mother, and did they give a name?';
const ANSWER = 'It was the Tuesday after the festival; the man said he was from the county public security bureau.';

describe('the reporter’s mailbox, end to end on the console', () => {
  it('the team asks, the reporter reads it with the receipt, answers and adds an image, the team sees both', async () => {
    const env = { LANTERN_DATA_DIR: path.join(dir, 'data') };
    const reporter = consoleBot(env);
    let r: Reply = await reporter.say('/report');
    r = await reporter.say(pick(r, 'cat:family_pressure'));
    r = await reporter.say('2026-10');
    r = await reporter.say('Prato');
    if (r.choices?.some((c) => /:st:0$/.test(c.id))) r = await reporter.say(pick(r, 'skip'));
    r = await reporter.say('Someone called my mother in Wenzhou and asked when I would return.');
    r = await reporter.say(pick(r, 'skip'));
    r = await reporter.say('none');
    for (const yes of ['no', 'no', 'no']) r = await reporter.say(pick(r, yes)); // no push contact, no sharing
    r = await reporter.say(pick(r, 'submit'));
    const id = /(R-[0-9A-Z]{6})/.exec(textOf(r))![1]!;
    const receipt = /([0-9A-Z]{4}(?:-[0-9A-Z]{4}){4})/.exec(textOf(r))![1]!;
    await reporter.end();

    const team = consoleBot(env, ['--as', 'triage']);
    for (const s of ['in_review', 'needs_info']) expect((await team.say(`/triage status ${id} ${s}`)).kind).toBe('answer');
    const asked = await team.say(`/triage ask ${id} ${QUESTION}`);
    expect(textOf(asked)).toMatch(/mailbox/);
    await team.end();

    const back = consoleBot(env);
    const box = await back.say(`/myreports ${receipt}`);
    expect(textOf(box)).toContain(QUESTION);
    expect(textOf(box)).toMatch(/needs more information|more information/i);
    r = await back.say(pick(box, 'mb:reply'));
    expect(r.prompt).toBeDefined();
    r = await back.say(ANSWER);
    expect(textOf(r)).toMatch(new RegExp(`added to ${id}`));
    r = await back.say(pick(r, 'mb:evidence'));
    expect(r.acceptsFile).toBe(true);
    const image = path.join(dir, 'call-log.png');
    writeFileSync(
      image,
      await sharp({ create: { width: 40, height: 30, channels: 3, background: '#336699' } })
        .png()
        .toBuffer(),
    );
    r = await back.say(`/attach ${image}`);
    expect(textOf(r)).toMatch(new RegExp(`Image added to ${id}`));
    r = await back.say(pick(r, 'mb:done'));
    const again = await back.say(`/myreports ${receipt}`);
    expect(textOf(again)).toContain(ANSWER); // the reporter's own answer is in the thread too
    await back.end();

    const lead = consoleBot(env, ['--as', 'triage']);
    const view = textOf(await lead.say(`/triage view ${id}`));
    expect(view).toContain(QUESTION);
    expect(view).toContain(ANSWER);
    expect(view).toMatch(/1 image/);
    expect(view).toMatch(/being reviewed/);
    // The notice says there is an answer, never what it says.
    const queued = lead.notices.join('\n');
    expect(queued).toMatch(new RegExp(`${id} has an answer`));
    expect(queued).not.toContain('Tuesday');
    await lead.end();
  }, 240_000);
});
