/**
 * The optional details triage needs (who contacted the person, how, whether family in China was
 * pressured, their numbers or accounts): offered at the summary, each skippable, sealed with the
 * report, shown to the team, exported only as the choices made (never the identifiers typed), and
 * grouping reports that share a phone number or an account into clusters.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allCommands } from '../../../commands/index.ts';
import type { CoreContext } from '../../../src/core/context.ts';
import { Lantern } from '../../../src/core/lantern.ts';
import type { Reply } from '../../../src/core/reply.ts';
import { choice, fileReport, textOf } from '../../support/intake-driver.ts';
import type { TestDatabase } from '../../support/storage.ts';
import { coreOnPglite } from '../../support/core-on-pglite.ts';

const lantern = new Lantern(allCommands);
let h: TestDatabase;
let ctxOf: (user: string, triage?: boolean) => CoreContext;

beforeAll(async () => {
  ({ h, ctxOf } = await coreOnPglite({ localFiles: true }));
});
afterAll(() => h?.dispose());

/** A draft taken to its summary (nothing submitted). */
async function toSummary(ctx: CoreContext): Promise<Reply> {
  let r = await lantern.command('report', {}, ctx);
  r = await lantern.choice(choice(r, 'cat:family_pressure'), ctx);
  r = await lantern.text('2026-10', ctx);
  r = await lantern.choice(choice(r, 'skip'), ctx);
  r = await lantern.text('A man called my mother about my activism here.', ctx);
  r = await lantern.choice(choice(r, 'skip'), ctx);
  r = await lantern.choice(choice(r, 'skip'), ctx);
  for (let i = 0; i < 3; i++) r = await lantern.choice(choice(r, 'no'), ctx);
  return r;
}

const press = (r: Reply, action: string, ctx: CoreContext) => lantern.choice(choice(r, action), ctx);
const tri = (action: string, args: string) => lantern.command('triage', { action, args }, ctxOf('lead', true));

describe('the optional details', () => {
  it('are offered at the summary; each can be skipped, and "Back to the summary" leaves at once', async () => {
    const ctx = ctxOf('olga');
    let r = await toSummary(ctx);
    expect(textOf(r)).toContain('Add details that help the team (optional)');
    r = await press(r, 'details', ctx);
    expect(textOf(r)).toContain('Optional details: 1 of 4');
    expect(textOf(r)).toContain('An overseas “police service station”');
    r = await press(r, 'finish', ctx);
    expect(textOf(r)).toContain('Nothing is sent until you press Submit');
    // Going in and out many times neither grows the draft's history nor breaks it: Back still
    // goes to the last consent question.
    for (let i = 0; i < 30; i++) r = await press(await press(r, 'details', ctx), 'finish', ctx);
    r = await press(r, 'back', ctx);
    expect(textOf(r)).toContain('shared with law enforcement');
    await lantern.command('cancel', {}, ctx);
  });

  it('take several channels, toggled, and show the answers marked', async () => {
    const ctx = ctxOf('pavel');
    let r = await press(await press(await toSummary(ctx), 'details', ctx), 'who:consulate', ctx);
    expect(textOf(r)).toContain('Optional details: 2 of 4');
    for (const c of ['phone', 'wechat', 'phone']) r = await press(r, `how:${c}`, ctx);
    expect(r.choices!.map((c) => c.label)).toContain('✓ WeChat');
    expect(r.choices!.map((c) => c.label)).toContain('Phone call or text message');
    r = await press(await press(r, 'done', ctx), 'family:pressured', ctx);
    expect(textOf(r)).toContain('phone number or account name');
    r = await lantern.text('WeChat: example_id', ctx);
    const summary = textOf(r);
    for (const line of [
      'Who contacted you: Embassy or consulate staff',
      'How: WeChat',
      'Family in China: Yes, pressured or threatened',
      'Their numbers or accounts: WeChat: example_id',
    ])
      expect(summary).toContain(line);
    await lantern.command('cancel', {}, ctx);
  });

  it('refuse invisible control characters in the identifiers and keep the step', async () => {
    const ctx = ctxOf('quinn');
    let r = await press(await press(await toSummary(ctx), 'details', ctx), 'finish', ctx);
    r = await press(r, 'details', ctx);
    for (const a of ['skip', 'skip', 'skip']) r = await press(r, a, ctx);
    const bad = await lantern.text('WeChat: exa\u202Emple', ctx);
    expect(bad.code).toBe('REPORT.CONTROL_CHARS');
    expect(textOf(bad)).toContain('Optional details: 4 of 4');
    r = await lantern.text('WeChat: example', ctx);
    expect(textOf(r)).toContain('Their numbers or accounts: WeChat: example');
    await lantern.command('cancel', {}, ctx);
  });
});

describe('the team and the details', () => {
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    const file = async (who: string, month: string, where: string, identifiers: string | undefined, ngo = false) =>
      (
        await fileReport(lantern, ctxOf(who), {
          category: 'family_pressure',
          when: month,
          where,
          what: `A caller pressed ${who} to stop speaking out.`,
          contact: 'none',
          consents: [false, ngo, false],
          details: identifiers ? { who: 'station', how: ['phone', 'wechat'], family: 'pressured', identifiers } : {},
        })
      ).publicId;
    ids.a = await file('ana', '2026-03', 'Lyon', '+44 7700 900123', true);
    ids.b = await file('ben', '2026-07', 'Bremen', 'WeChat: Example_Handle, 07700 900123');
    ids.c = await file('cai', '2026-09', 'Oslo', '微信：@example_handle');
    ids.d = await file('dev', '2026-09', 'Porto', 'Telegram: another_person');
    ids.e = await file('eli', '2026-09', 'Porto', undefined);
  });

  it('see them in the report', async () => {
    const text = textOf(await tri('view', ids.a!));
    for (const line of [
      'Who contacted the reporter: An overseas “police service station”',
      'How: Phone call or text message, WeChat',
      'Family in China: Yes, pressured or threatened',
      'Numbers or accounts they used: +44 7700 900123',
    ])
      expect(text).toContain(line);
    // skipped details read as not given
    expect(textOf(await tri('view', ids.e!))).toContain('Who contacted the reporter: —');
  });

  it('get clusters of reports sharing a phone number or an account, across months and places, by hint only', async () => {
    const lines = textOf(await tri('clusters', '')).split('\n');
    const phone = lines.find((l) => l.startsWith('Same phone number (…0123)'));
    const account = lines.find((l) => l.startsWith('Same account (ex…le)'));
    expect(phone).toBe(`Same phone number (…0123): ${ids.a}, ${ids.b}`);
    expect(account).toBe(`Same account (ex…le): ${ids.b}, ${ids.c}`);
    // the place-and-month cluster still works beside them; an identifier met once forms none
    expect(lines.find((l) => l.startsWith('“porto”'))).toContain(`${ids.d}, ${ids.e}`);
    const all = lines.join('\n');
    expect(all).not.toContain('another');
    expect(all).not.toMatch(/7700|example_handle/i);
  });

  it('export only the choices made, never the identifiers typed', async () => {
    const r = await tri('export', 'ngo new');
    const json = JSON.parse(Buffer.from(r.files!.find((f) => f.name.endsWith('reports.json'))!.bytes).toString('utf8')) as Record<
      string,
      unknown
    >[];
    expect(json.map((x) => x.id)).toEqual([ids.a]);
    expect(json[0]).toMatchObject({ claimed_affiliation: 'station', channels: 'phone wechat', family_in_china: 'pressured' });
    const csv = Buffer.from(r.files!.find((f) => f.name.endsWith('reports.csv'))!.bytes).toString('utf8');
    expect(csv.split('\r\n')[0]).toContain('claimed_affiliation,channels,family_in_china');
    for (const f of r.files!) expect(Buffer.from(f.bytes).toString('utf8')).not.toMatch(/7700|900123/);
  });

  it('stay sealed on disk: no identifier in any file of the data directory', async () => {
    const found: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const p = join(dir, name);
        if (statSync(p).isDirectory()) walk(p);
        else if (/Example_Handle|another_person|7700 900123/.test(readFileSync(p).toString('latin1'))) found.push(p);
      }
    };
    walk(h.location);
    expect(found).toEqual([]);
    // …and they are there, sealed: the team reads them back
    expect(textOf(await tri('view', ids.b!))).toContain('Numbers or accounts they used: WeChat: Example_Handle, 07700 900123');
  });
});
