/**
 * The report intake as a pure state machine: a draft and an event in, the next draft (or an
 * expected failure) out. No I/O, so property tests can drive it with random input.
 *
 * Steps: category → when → where → station (only if the place matches known stations) → what →
 * evidence → contact → consent_contact → consent_ngo → consent_law → summary. Every step can go
 * back; cancel and submit are handled by the service.
 *
 * From the summary, the person may add optional details the team uses to connect reports:
 * who → how → family → identifiers → summary. Each can be skipped, and "finish" returns to the
 * summary at once, so someone in a hurry never has to answer them.
 */
import { z } from 'zod';
import { coreError, type CoreError } from '../errors.ts';
import {
  AFFILIATIONS,
  CATEGORIES,
  CHANNELS,
  FAMILY_ANSWERS,
  type Affiliation,
  type Category,
  type Channel,
  type FamilyAnswer,
} from './intake.taxonomy.ts';
import { normalizeText, textIssue } from '../text-input.ts';

export const STEPS = [
  'category',
  'when',
  'where',
  'station',
  'what',
  'evidence',
  'contact',
  'consent_contact',
  'consent_ngo',
  'consent_law',
  'summary',
  'who',
  'how',
  'family',
  'identifiers',
] as const;
export type Step = (typeof STEPS)[number];

/** The optional detail steps, reached from the summary. */
export const DETAIL_STEPS = ['who', 'how', 'family', 'identifiers'] as const satisfies readonly Step[];
export const isDetailStep = (s: Step): s is (typeof DETAIL_STEPS)[number] => (DETAIL_STEPS as readonly Step[]).includes(s);

/** When it happened: as exact as the person wants to be. */
export type When = { kind: 'date' | 'month' | 'year'; value: string } | { kind: 'undisclosed' };

/** Everything gathered so far. Encrypted whenever stored. */
export interface DraftData {
  category?: Category;
  when?: When;
  where?: string | null;
  /** stations offered for the place typed */
  stationChoices?: string[];
  stationId?: string | null;
  what?: string;
  evidence: number;
  /** SHA-256 of each image attached, so the same photo sent twice counts once */
  evidenceHashes?: string[];
  contact?: string | null;
  consentContact?: boolean;
  consentNgo?: boolean;
  consentLaw?: boolean;
  /** the person said they are in danger right now (asked first; the report is marked urgent) */
  urgent?: boolean;
  /** optional details: who contacted them (as they presented themselves); null: skipped */
  who?: Affiliation | null;
  /** how they were reached (several may apply) */
  how?: Channel[];
  /** whether family in China was contacted or pressured; null: skipped */
  family?: FamilyAnswer | null;
  /** phone numbers or account names of whoever contacted them, as typed (sealed); null: skipped */
  identifiers?: string | null;
}

/** A draft: where the person is, how they got there, what they said. */
export interface DraftState {
  step: Step;
  history: Step[];
  data: DraftData;
}

/** What the person did. */
export type IntakeEvent =
  { kind: 'choice'; action: string; arg?: string } | { kind: 'text'; text: string } | { kind: 'file-added'; sha256?: string };

/** Limits on what may be typed. */
export const LIMITS = { where: 300, whatMin: 10, what: 4000, contact: 200, evidence: 5, identifiers: 300 } as const;

// Invisible characters can hide or reorder text a triager reads; lengths are visible characters.
const clean = (max: number, min = 1, multiline = false) =>
  z
    .string()
    .transform((s) => normalizeText(s, multiline))
    .superRefine((s, c) => {
      const issue = textIssue(s, min, max);
      if (issue) c.addIssue({ code: 'custom', message: issue });
    });

/** The zod schema of each text step. */
export const TextInput = {
  where: clean(LIMITS.where),
  what: clean(LIMITS.what, LIMITS.whatMin, true),
  contact: clean(LIMITS.contact),
  identifiers: clean(LIMITS.identifiers),
} as const;

/** Parses "2024-03-15", "2024-03" or "2024", not in the future, not before 1950. */
export function parseWhen(text: string, now: Date): When | null {
  const s = text.trim();
  const year = now.getUTCFullYear();
  let m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (m) {
    const d = new Date(`${s}T00:00:00Z`);
    if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== s || d > now || Number(m[1]) < 1950) return null;
    return { kind: 'date', value: s };
  }
  m = /^(\d{4})-(\d{2})$/.exec(s);
  if (m) {
    const y = Number(m[1]);
    const mo = Number(m[2]);
    if (mo < 1 || mo > 12 || y < 1950 || y > year || (y === year && mo > now.getUTCMonth() + 1)) return null;
    return { kind: 'month', value: s };
  }
  m = /^(\d{4})$/.exec(s);
  if (m) {
    const y = Number(m[1]);
    if (y < 1950 || y > year) return null;
    return { kind: 'year', value: s };
  }
  return null;
}

/** The coarse period kept in clear for clustering ("YYYY-MM"), or null. */
export function periodOf(when: When | undefined): string | null {
  if (!when || when.kind === 'undisclosed' || when.kind === 'year') return null;
  return when.value.slice(0, 7);
}

/** A fresh draft. */
export function initialDraft(): DraftState {
  return { step: 'category', history: [], data: { evidence: 0 } };
}

/** What the machine answers. */
export type Transition = { ok: true; state: DraftState } | { ok: false; error: CoreError };

/** Context the machine needs: station search and the clock. */
export interface MachineEnv {
  now: Date;
  /** ids of known stations matching a place text (best first, at most 5) */
  stationsFor(where: string): string[];
}

function go(s: DraftState, step: Step, data: Partial<DraftData>): Transition {
  return { ok: true, state: { step, history: [...s.history, s.step], data: { ...s.data, ...data } } };
}

function textError(issue: string | undefined, field: string, max: number, min = 1): CoreError {
  if (issue === 'control') return coreError('REPORT.CONTROL_CHARS');
  if (issue === 'long') return coreError('INPUT.TOO_LONG', { option: field, max });
  return min > 1 ? coreError('REPORT.TEXT_TOO_SHORT', { min }) : coreError('INPUT.EMPTY', { option: field });
}

/** An image attached at the evidence step; the same image twice is refused. null: not now. */
function fileAdded(s: DraftState, hash: string | undefined): Transition | null {
  if (s.step !== 'evidence') return null;
  const hashes = s.data.evidenceHashes ?? [];
  if (hash && hashes.includes(hash)) return { ok: false, error: coreError('REPORT.DUPLICATE_FILE') };
  const evidenceHashes = hash ? [...hashes, hash] : hashes;
  return { ok: true, state: { ...s, data: { ...s.data, evidence: s.data.evidence + 1, evidenceHashes } } };
}

/** Back at the summary: the detail steps leave the history, so going through them again never grows it. */
function toSummary(s: DraftState, data: Partial<DraftData>): Transition {
  const i = s.history.lastIndexOf('summary');
  return { ok: true, state: { step: 'summary', history: i >= 0 ? s.history.slice(0, i) : s.history, data: { ...s.data, ...data } } };
}

/** One of the optional detail steps; "finish" goes back to the summary with what was given. */
function detail(s: DraftState, e: IntakeEvent): Transition {
  const wrong: Transition = { ok: false, error: coreError('REPORT.UNEXPECTED_INPUT') };
  if (e.kind === 'choice' && e.action === 'finish') return toSummary(s, {});
  const skip = e.kind === 'choice' && e.action === 'skip';
  const pick = <T extends string>(list: readonly T[]) =>
    e.kind === 'choice' && e.action === s.step ? list.find((x) => x === e.arg) : undefined;
  switch (s.step) {
    case 'who': {
      const who = pick(AFFILIATIONS);
      return skip ? go(s, 'how', { who: null }) : who ? go(s, 'how', { who }) : wrong;
    }
    case 'how': {
      // several channels may apply: each press toggles one, "done" moves on
      const ch = pick(CHANNELS);
      const how = s.data.how ?? [];
      if (ch)
        return {
          ok: true,
          state: {
            ...s,
            data: { ...s.data, how: how.includes(ch) ? how.filter((x) => x !== ch) : CHANNELS.filter((x) => x === ch || how.includes(x)) },
          },
        };
      return skip || (e.kind === 'choice' && e.action === 'done') ? go(s, 'family', {}) : wrong;
    }
    case 'family': {
      const family = pick(FAMILY_ANSWERS);
      return skip ? go(s, 'identifiers', { family: null }) : family ? go(s, 'identifiers', { family }) : wrong;
    }
    default: {
      if (skip) return toSummary(s, { identifiers: null });
      if (e.kind !== 'text') return wrong;
      const parsed = TextInput.identifiers.safeParse(e.text);
      if (!parsed.success) return { ok: false, error: textError(parsed.error.issues[0]?.message, 'identifiers', LIMITS.identifiers) };
      return toSummary(s, { identifiers: parsed.data });
    }
  }
}

/** Applies one event to a draft. Never throws on any input. */
export function transition(s: DraftState, e: IntakeEvent, env: MachineEnv): Transition {
  const wrong = (): Transition => ({ ok: false, error: coreError('REPORT.UNEXPECTED_INPUT') });
  if (e.kind === 'choice' && e.action === 'back') {
    const prev = s.history[s.history.length - 1];
    if (!prev) return wrong();
    return { ok: true, state: { step: prev, history: s.history.slice(0, -1), data: s.data } };
  }
  if (e.kind === 'file-added') return fileAdded(s, e.sha256) ?? wrong();

  switch (s.step) {
    case 'category': {
      // "I am in danger right now": the guidance comes first; the report goes on, marked urgent.
      if (e.kind === 'choice' && e.action === 'danger') return { ok: true, state: { ...s, data: { ...s.data, urgent: true } } };
      if (e.kind !== 'choice' || e.action !== 'cat') return wrong();
      const cat = CATEGORIES.find((c) => c === e.arg);
      return cat ? go(s, 'when', { category: cat }) : wrong();
    }
    case 'when': {
      if (e.kind === 'choice' && e.action === 'skip') return go(s, 'where', { when: { kind: 'undisclosed' } });
      if (e.kind !== 'text') return wrong();
      const when = parseWhen(e.text, env.now);
      return when ? go(s, 'where', { when }) : { ok: false, error: coreError('REPORT.BAD_DATE') };
    }
    case 'where': {
      if (e.kind === 'choice' && e.action === 'skip') return go(s, 'what', { where: null, stationChoices: [], stationId: null });
      if (e.kind !== 'text') return wrong();
      const parsed = TextInput.where.safeParse(e.text);
      if (!parsed.success) return { ok: false, error: textError(parsed.error.issues[0]?.message, 'where', LIMITS.where) };
      const choices = env.stationsFor(parsed.data).slice(0, 5);
      return go(s, choices.length ? 'station' : 'what', { where: parsed.data, stationChoices: choices, stationId: null });
    }
    case 'station': {
      if (e.kind !== 'choice') return wrong();
      if (e.action === 'skip') return go(s, 'what', { stationId: null });
      if (e.action !== 'st') return wrong();
      const id = s.data.stationChoices?.[Number(e.arg)];
      return id && /^\d$/.test(e.arg ?? '') ? go(s, 'what', { stationId: id }) : wrong();
    }
    case 'what': {
      if (e.kind !== 'text') return wrong();
      const parsed = TextInput.what.safeParse(e.text);
      if (!parsed.success) return { ok: false, error: textError(parsed.error.issues[0]?.message, 'what', LIMITS.what, LIMITS.whatMin) };
      return go(s, 'evidence', { what: parsed.data });
    }
    case 'evidence':
      if (e.kind === 'choice' && (e.action === 'done' || e.action === 'skip')) return go(s, 'contact', {});
      return e.kind === 'text' ? { ok: false, error: coreError('REPORT.EXPECTED_FILE') } : wrong();
    case 'contact': {
      if (e.kind === 'choice' && e.action === 'skip') return go(s, 'consent_contact', { contact: null });
      if (e.kind !== 'text') return wrong();
      const parsed = TextInput.contact.safeParse(e.text);
      if (!parsed.success) return { ok: false, error: textError(parsed.error.issues[0]?.message, 'contact', LIMITS.contact) };
      return go(s, 'consent_contact', { contact: parsed.data });
    }
    case 'consent_contact':
    case 'consent_ngo':
    case 'consent_law': {
      if (e.kind !== 'choice' || (e.action !== 'yes' && e.action !== 'no')) return wrong();
      const yes = e.action === 'yes';
      if (s.step === 'consent_contact') return go(s, 'consent_ngo', { consentContact: yes });
      if (s.step === 'consent_ngo') return go(s, 'consent_law', { consentNgo: yes });
      return go(s, 'summary', { consentLaw: yes });
    }
    case 'summary':
      // submit is the service's; "details" opens the optional questions
      return e.kind === 'choice' && e.action === 'details' ? go(s, 'who', {}) : wrong();
    case 'who':
    case 'how':
    case 'family':
    case 'identifiers':
      return detail(s, e);
    default: {
      const unreachable: never = s.step;
      return unreachable;
    }
  }
}

/** True when the draft holds everything a report needs. */
export function isComplete(
  d: DraftData,
): d is DraftData & Required<Pick<DraftData, 'category' | 'when' | 'what' | 'consentContact' | 'consentNgo' | 'consentLaw'>> {
  return Boolean(
    d.category && d.when && d.what && d.consentContact !== undefined && d.consentNgo !== undefined && d.consentLaw !== undefined,
  );
}

/** Zod schema of a stored draft (checked when it is read back). */
export const DraftStateSchema = z.object({
  step: z.enum(STEPS),
  history: z.array(z.enum(STEPS)).max(50),
  data: z.object({
    category: z.enum(CATEGORIES).optional(),
    when: z
      .union([z.object({ kind: z.enum(['date', 'month', 'year']), value: z.string() }), z.object({ kind: z.literal('undisclosed') })])
      .optional(),
    where: z.string().nullable().optional(),
    stationChoices: z.array(z.string()).optional(),
    stationId: z.string().nullable().optional(),
    what: z.string().optional(),
    evidence: z.number().int().min(0),
    evidenceHashes: z
      .array(z.string().regex(/^[0-9a-f]{64}$/))
      .max(50)
      .optional(),
    contact: z.string().nullable().optional(),
    consentContact: z.boolean().optional(),
    consentNgo: z.boolean().optional(),
    consentLaw: z.boolean().optional(),
    urgent: z.boolean().optional(),
    who: z.enum(AFFILIATIONS).nullable().optional(),
    how: z.array(z.enum(CHANNELS)).max(CHANNELS.length).optional(),
    family: z.enum(FAMILY_ANSWERS).nullable().optional(),
    identifiers: z.string().max(2000).nullable().optional(),
  }),
});
