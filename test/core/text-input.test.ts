/** Typed text: invisible characters refused, NFC, visible lengths; through the intake machine too. */
import { describe, expect, it } from 'vitest';
import { allCommands } from '../../commands/index.ts';
import { Lantern } from '../../src/core/lantern.ts';
import { LOCALES } from '../../src/core/i18n/locales.ts';
import { initialDraft, transition, type DraftState } from '../../src/core/intake/intake.machine.ts';
import { hasInvisible, normalizeText, textIssue, visibleLength } from '../../src/core/text-input.ts';
import { contextFor, memoryDeps } from '../support/memory.ts';
import { choice, fileReport, textOf } from '../support/intake-driver.ts';

const env = { now: new Date('2026-11-22T12:00:00Z'), stationsFor: () => [] };
const atWhat = (): DraftState => ({
  ...initialDraft(),
  step: 'what',
  history: ['category', 'when', 'where'],
  data: { category: 'other', when: { kind: 'undisclosed' }, where: 'Prato', evidence: 0 },
});
const what = (text: string) => transition(atWhat(), { kind: 'text', text }, env);

describe('text input', () => {
  it('refuses control and format characters: zero-width, bidi, BOM, soft hyphen, C0/C1', () => {
    for (const c of [
      '\u200B',
      '\u200C',
      '\u200E',
      '\u202E',
      '\u2066',
      '\uFEFF',
      '\u00AD',
      '\u0000',
      '\u0007',
      '\u0085',
      '\u061C',
      '\u{E0001}',
    ]) {
      expect(hasInvisible(`abc${c}def`), c.codePointAt(0)!.toString(16)).toBe(true);
      const r = what(`My neighbour was called${c} by the police`);
      expect(r.ok || r.error.code, c.codePointAt(0)!.toString(16)).toBe('REPORT.CONTROL_CHARS');
    }
  });

  it('keeps the emoji joiner, newlines and tabs a description needs', () => {
    const text = 'They came twice 👩‍👧\n\t- first in May\n\t- then in June';
    expect(hasInvisible(text)).toBe(false);
    const r = what(text);
    expect(r.ok && r.state.data.what).toBe(text);
  });

  it('12 zero-width spaces do not pass the 10-character minimum, nor do 9 letters with accents', () => {
    expect(what('\u200B'.repeat(12)).ok).toBe(false);
    const accents = 'e\u0301'.repeat(9); // 18 code units, 9 visible characters
    expect(visibleLength(accents)).toBe(9);
    const r = what(accents);
    expect(r.ok || r.error.code).toBe('REPORT.TEXT_TOO_SHORT');
    expect(what('e\u0301'.repeat(10)).ok).toBe(true);
  });

  it('stores text NFC-normalised, and counts the maximum in visible characters', () => {
    const r = what('Cafe\u0301 owner warned me about my posts');
    expect(r.ok && r.state.data.what).toBe('Café owner warned me about my posts');
    expect(normalizeText('a\r\nb', false)).toBe('a b');
    expect(textIssue('👩‍👧'.repeat(300), 1, 300)).toBeNull(); // 300 visible, 1500 code units
    expect(textIssue('a'.repeat(301), 1, 300)).toBe('long');
  });

  it('answers in every language and keeps the report in progress', async () => {
    const lantern = new Lantern(allCommands);
    for (const locale of LOCALES) {
      const { deps } = memoryDeps();
      const ctx = contextFor(deps, { locale });
      let r = await lantern.command('report', {}, ctx);
      r = await lantern.choice(choice(r, 'cat:other'), ctx);
      r = await lantern.text('2026-01', ctx);
      r = await lantern.text('Somewhere near the market', ctx);
      const bad = await lantern.text('\u200B'.repeat(12), ctx);
      expect(bad.code).toBe('REPORT.CONTROL_CHARS');
      expect(textOf(bad).length).toBeGreaterThan(10);
      const good = await lantern.text('They asked about my family abroad.', ctx);
      expect(good.kind).toBe('answer');
      expect(good.code).toBeUndefined();
    }
  });

  it('applies to triage notes too', async () => {
    const lantern = new Lantern(allCommands);
    const { deps } = memoryDeps();
    const { publicId } = await fileReport(lantern, contextFor(deps), {
      category: 'other',
      when: '2026-01',
      where: 'Somewhere',
      what: 'They asked about my family abroad.',
      contact: 'none',
    });
    const note = (text: string) =>
      lantern.command('triage', { action: 'note', args: `${publicId} ${text}` }, contextFor(deps, { triage: true }));
    // Refused where every command option is checked, before the note's own rules.
    expect((await note('\u200B\u200B')).code).toBe('INPUT.CONTROL_CHARS');
    expect((await note('ok\u202Eevil')).code).toBe('INPUT.CONTROL_CHARS');
    expect((await note('Called the partner NGO 👩‍👧')).kind).toBe('answer');
  });
});
