/**
 * Issue #11's "done when", end to end on the real entry point: a report consenting to NGOs but
 * not to law enforcement, with a contact detail, verified by the team; `export law` carries
 * nothing of it, `export ngo` carries it without the contact and without the reporter's words.
 * The files are read as the recipient would: decrypted with the recipient's age identity.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Decrypter, generateIdentity, identityToRecipient } from 'age-encryption';
import { afterAll, describe, expect, it } from 'vitest';
import { consoleBot, pick } from '../../support/console-process.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'lantern-export-e2e-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const WORDS = 'A man from the hometown association told me my parents in Wenzhou would lose their pensions';
const WHERE = 'Via Pistoiese 123, near my flat';
const CONTACT = 'signal +39 333 000 1234';

describe('exports by audience, end to end on the console', () => {
  it('export law carries nothing of an NGO-only report; export ngo carries it without contact or words', async () => {
    const identity = await generateIdentity();
    const env = { LANTERN_DATA_DIR: path.join(dir, 'data'), LANTERN_EXPORT_RECIPIENTS: await identityToRecipient(identity) };
    const reporter = consoleBot(env);
    let r = await reporter.say('/report');
    r = await reporter.say(pick(r, 'cat:family_pressure'));
    r = await reporter.say('2026-10-03');
    r = await reporter.say(WHERE);
    if (r.choices?.some((c) => /:st:0$/.test(c.id))) r = await reporter.say(pick(r, 'skip'));
    r = await reporter.say(WORDS);
    r = await reporter.say(pick(r, 'skip'));
    r = await reporter.say(CONTACT);
    r = await reporter.say(pick(r, 'yes')); // may contact me
    r = await reporter.say(pick(r, 'yes')); // NGOs
    r = await reporter.say(pick(r, 'no')); // law enforcement
    r = await reporter.say(pick(r, 'submit'));
    const id = /(R-[0-9A-Z]{6})/.exec(JSON.stringify(r.blocks))![1]!;
    await reporter.end();

    const out = { ngo: path.join(dir, 'ngo'), law: path.join(dir, 'law') };
    const team = consoleBot(env, ['--as', 'triage', '--save-files', out.ngo]);
    for (const s of ['in_review', 'verified']) expect((await team.say(`/triage status ${id} ${s}`)).kind).toBe('answer');
    const view = JSON.stringify((await team.say(`/triage view ${id}`)).blocks);
    expect(view).toContain(WORDS); // the team sees the words; the exports must not
    const submitted = /(\d{4}-\d\d-\d\d) (\d\d:\d\d)/.exec(view)!;
    const ngo = await team.say('/triage export ngo');
    expect(ngo.kind).toBe('answer');
    await team.end();
    const lawBot = consoleBot(env, ['--as', 'triage', '--save-files', out.law]);
    expect((await lawBot.say('/triage export law')).kind).toBe('answer');
    await lawBot.end();

    const decrypter = new Decrypter();
    decrypter.addIdentity(identity);
    const readAll = async (d: string) => {
      const files = readdirSync(d);
      expect(files.length).toBe(3);
      expect(files.every((f) => f.endsWith('.age'))).toBe(true);
      return Object.fromEntries(
        await Promise.all(
          files.map(
            async (f) =>
              [f.replace(/^lantern-\w+-[\d-]{10}-/, ''), await decrypter.decrypt(readFileSync(path.join(d, f)), 'text')] as const,
          ),
        ),
      );
    };
    const law = await readAll(out.law);
    const ngoFiles = await readAll(out.ngo);
    expect(JSON.parse(law['reports.json.age']!)).toEqual([]);
    expect(Object.values(law).join('\n')).not.toContain(id);
    const rec = JSON.parse(ngoFiles['reports.json.age']!) as { id: string; submitted_day: string; text: string | null }[];
    expect(rec.map((x) => x.id)).toEqual([id]);
    expect(rec[0]!.submitted_day).toBe(submitted[1]);
    expect(rec[0]!.text).toBeNull();
    for (const files of [law, ngoFiles]) {
      const all = Object.values(files).join('\n');
      for (const secret of [
        WORDS.slice(0, 30),
        'Wenzhou',
        'Pistoiese',
        CONTACT,
        '333 000',
        `T${submitted[2]}`,
        `${submitted[1]} ${submitted[2]}`,
      ])
        expect(all, secret).not.toContain(secret);
    }
    expect(ngoFiles['reports.csv.age']).toContain(id);
  }, 240_000);
});
