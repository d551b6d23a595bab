/**
 * The defects issue #12 found in the bundled dataset, each checked against the record that fixes
 * it: dates the texts do not give, credits, "investigating whether", disagreements between
 * sources, South Africa's entry, speakers, the missing facts, topics and places.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { verifyDataset } from '../../../src/core/dataset/verify.ts';
import { Dataset } from '../../../src/core/dataset/dataset.schema.ts';
import { bundledDatasetPath } from '../../../src/db/dataset-store.ts';

const d = Dataset.parse(JSON.parse(readFileSync(bundledDatasetPath, 'utf8')));
const claim = (id: string) => d.claims.find((c) => c.id === id)!;
const quoting = (words: string) => d.claims.filter((c) => c.quote.includes(words));
const disagreementsOf = (id: string) => d.disagreements.filter((x) => x.claimIds.includes(id));

describe('bundled dataset fixes (issue #12)', () => {
  it('bundles each source’s text, the same as the file it names', () => {
    for (const s of d.sources) {
      expect(s.text, s.id).toBeTruthy();
      expect(s.text).toBe(readFileSync(new URL(`../../../../shared/sources/${s.textFile}`, import.meta.url), 'utf8'));
    }
  });

  it('dates FISM-cited claims as approximate (FISM says only "earlier this month")', () => {
    const fism = d.claims.filter((c) => c.sourceId === 'fism-110-overseas');
    expect(fism.length).toBeGreaterThan(10);
    for (const c of fism) expect(c.date === 'unknown' || c.dateApproximate, c.id).toBe(true);
    for (const s of d.stations)
      for (const st of s.statuses) if (claim(st.claimId).sourceId === 'fism-110-overseas') expect(st.dateApproximate, s.id).toBe(true);
  });

  it('credits the 54/30 count to The New York Post, as FISM does', () => {
    expect(claim('sd-110-54-stations-30-countries').text.en).toMatch(/^FISM News reported, crediting The New York Post/);
  });

  it('says the Dutch were investigating whether a Rotterdam station existed, and credits PBS with nothing there', () => {
    const r = claim('nl-rotterdam-report');
    expect(r.text.en).toMatch(/investigating whether/);
    expect(r.text.en).not.toMatch(/PBS/);
    expect(claim('nl-mfa-investigating').text.en).toMatch(/PBS/);
  });

  it('records the disagreement between "shut down" and "investigating" for the Netherlands', () => {
    const [x] = disagreementsOf('nl-shut-down-amac');
    expect(x?.claimIds).toEqual(
      expect.arrayContaining(['nl-investigating-cnn', 'nl-amsterdam-investigation', 'nl-rotterdam-investigation']),
    );
  });

  it('says Los Angeles rests on one source while others list only New York in the United States', () => {
    const [x] = disagreementsOf('us-los-angeles-report-amac');
    expect(x?.text.en).toMatch(/Only AMAC Newsline/);
    expect(x!.claimIds.map((id) => claim(id).sourceId)).toEqual(
      expect.arrayContaining(['fism-110-overseas', 'voz-nyc-station', 'waynedupree-ny']),
    );
  });

  it('gives South Africa a station entry, so it is never answered "no station"', () => {
    const za = d.stations.filter((s) => s.countryCode === 'ZA');
    expect(za).toHaveLength(1);
    expect(za[0]!.statuses[0]!.claimId).toBe('za-stations-report');
    expect(za[0]!.latitude).toBeNull();
  });

  it('names the speaker of every statement a claim attributes to someone', () => {
    const attributed = d.claims.filter(
      (c) =>
        c.kind === 'official_response' || c.kind === 'host_response' || /\b(Harth|says|said|told|claimed|according to)\b/.test(c.text.en),
    );
    expect(attributed.length).toBeGreaterThan(60);
    expect(attributed.filter((c) => !c.speaker).map((c) => c.id)).toEqual([]);
    for (const id of ['tactic-threats-to-relatives', 'tactic-agents-sent-abroad', 'tactic-luring-and-entrapment', 'tactic-silencing'])
      expect(claim(id).speaker).toMatch(/Laura Harth/);
  });

  it('has records for the facts the texts give that were missing', () => {
    for (const words of [
      '110 being their national emergency',
      'more than 230,000 Chinese nationals residing in other countries',
      'tip of the iceberg',
      'video surveillance system',
      'guilt by implication',
      'several years old before the pandemic',
      'nearly a quarter of a million',
      'partially accurate',
    ])
      expect(quoting(words).length, words).toBeGreaterThan(0);
  });

  it('puts rebuttals beside the denials they answer, and denials beside the reports', () => {
    expect(claim('sd-pp-135-hired-21-posts').answers).toContain('cn-volunteers');
    expect(claim('sd-offices-older-than-pandemic').answers).toContain('cn-covid-response');
    for (const c of d.claims.filter((c) => c.kind === 'official_response')) expect(c.answers.length, c.id).toBeGreaterThan(0);
  });

  it('records a disagreement for the 230,000 figure’s differing periods and for volunteers against 135 hired', () => {
    expect(disagreementsOf('persuaded-230000-voa')[0]?.claimIds).toEqual(
      expect.arrayContaining(['persuaded-230000-voz', 'persuaded-230000-mps', 'persuaded-230000-fism']),
    );
    expect(disagreementsOf('cn-volunteers')[0]?.claimIds).toContain('sd-pp-135-hired-21-posts');
  });

  it('gives every claim about no station or country a topic, and every topic claims', () => {
    expect(d.claims.filter((c) => !c.stationId && !c.countryCode && !c.topics.length).map((c) => c.id)).toEqual([]);
    for (const t of d.topics)
      expect(
        d.claims.some((c) => c.topics.includes(t.id)),
        t.id,
      ).toBe(true);
    for (const id of [
      'tactics',
      'frozen-bank-accounts',
      'children-barred-from-school',
      'threats-to-relatives',
      'luring-and-entrapment',
      'figure-230000',
      'fox-hunt',
      'persuasion-to-return',
      'report-110-overseas',
      'report-patrol-and-persuade',
      'united-front',
      'joint-policing',
    ])
      expect(d.topics.map((t) => t.id)).toContain(id);
  });

  it('lists the places a claim names, each printed in its quote or text', () => {
    for (const p of ['Milan', 'Naples', 'Florence', 'Belgrade', 'Zagreb', 'Cape Town', 'Romania'])
      expect(
        d.claims.some((c) => c.places.includes(p)),
        p,
      ).toBe(true);
    for (const c of d.claims)
      for (const p of c.places)
        expect(`${c.quote} ${c.text.en}`.replace(/(?<!North )\bAmerica\b/g, 'United States'), `${c.id}: ${p}`).toContain(p);
  });

  it('verifies any JSON without throwing, listing problems (import and start never crash on a bad file)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        expect(verifyDataset(v).length).toBeGreaterThan(0);
        const mangled = structuredClone(d) as unknown as { claims: unknown[]; sources: unknown[] };
        mangled.claims[0] = v;
        mangled.sources[1] = { ...(mangled.sources[1] as object), text: v };
        expect(Array.isArray(verifyDataset(mangled))).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});
