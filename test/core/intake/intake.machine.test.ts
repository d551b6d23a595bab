import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  DraftStateSchema,
  initialDraft,
  parseWhen,
  STEPS,
  transition,
  type IntakeEvent,
  type DraftState,
} from '../../../src/core/intake/intake.machine.ts';
import { CATEGORIES } from '../../../src/core/intake/intake.taxonomy.ts';

const env = { now: new Date('2026-11-22T12:00:00Z'), stationsFor: (w: string) => (/prato/i.test(w) ? ['it-prato'] : []) };
const runs = Number(process.env.LANTERN_FUZZ_RUNS ?? 300);

const event: fc.Arbitrary<IntakeEvent> = fc.oneof(
  fc
    .record({
      kind: fc.constant('choice' as const),
      action: fc.constantFrom('cat', 'skip', 'st', 'done', 'yes', 'no', 'back', 'submit', 'bogus'),
      arg: fc.option(fc.oneof(fc.constantFrom(...CATEGORIES, '0', '1', '9'), fc.string()), { nil: undefined }),
    })
    .map((e) => (e.arg === undefined ? { kind: e.kind, action: e.action } : e)),
  fc.record({
    kind: fc.constant('text' as const),
    text: fc.oneof(
      fc.string({ maxLength: 5000 }),
      fc.constantFrom('2025-04', '2026-01-31', 'Prato', 'A long enough description of events.', '\u0000', 'x'.repeat(4001)),
    ),
  }),
  fc.constant({ kind: 'file-added' as const }),
);

describe('intake state machine', () => {
  it('never throws and always stays in a valid state, whatever is sent (fast-check)', () => {
    fc.assert(
      fc.property(fc.array(event, { maxLength: 40 }), (events) => {
        let s: DraftState = initialDraft();
        for (const e of events) {
          const next = transition(s, e, env);
          if (next.ok) s = next.state;
          else expect(next.error.code).toMatch(/^(REPORT|INPUT)\./);
          expect(DraftStateSchema.safeParse(s).success).toBe(true);
          expect(STEPS).toContain(s.step);
          expect(s.data.evidence).toBeLessThanOrEqual(40);
        }
      }),
      { numRuns: runs },
    );
  });

  it('a failed step leaves the draft exactly as it was', () => {
    fc.assert(
      fc.property(fc.array(event, { maxLength: 20 }), event, (prefix, last) => {
        let s: DraftState = initialDraft();
        for (const e of prefix) {
          const n = transition(s, e, env);
          if (n.ok) s = n.state;
        }
        const copy = structuredClone(s);
        const n = transition(s, last, env);
        if (!n.ok) expect(s).toEqual(copy);
      }),
      { numRuns: runs },
    );
  });

  it('offers known stations only when the place matches one', () => {
    let s = initialDraft();
    for (const e of [
      { kind: 'choice', action: 'cat', arg: 'surveillance' },
      { kind: 'text', text: '2025' },
      { kind: 'text', text: 'near Prato station' },
    ] as IntakeEvent[]) {
      const n = transition(s, e, env);
      if (!n.ok) throw new Error(n.error.code);
      s = n.state;
    }
    expect(s.step).toBe('station');
    const n = transition(s, { kind: 'choice', action: 'st', arg: '0' }, env);
    expect(n.ok && n.state.data.stationId).toBe('it-prato');
  });

  describe('parseWhen', () => {
    it('accepts a date, a month or a year, not in the future', () => {
      expect(parseWhen('2024-03-15', env.now)).toEqual({ kind: 'date', value: '2024-03-15' });
      expect(parseWhen('2024-03', env.now)).toEqual({ kind: 'month', value: '2024-03' });
      expect(parseWhen('2024', env.now)).toEqual({ kind: 'year', value: '2024' });
      expect(parseWhen('2026-12', env.now)).toBeNull();
      expect(parseWhen('2026-11-23', env.now)).toBeNull();
      expect(parseWhen('2023-02-29', env.now)).toBeNull();
      expect(parseWhen('March', env.now)).toBeNull();
    });
  });
});
