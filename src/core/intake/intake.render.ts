/** How the report intake looks: each step's question, choices and progress, and the summary of the answers so far. */
import type { CoreContext } from '../context.ts';
import { errorMessage, type CoreError } from '../errors.ts';
import { t } from '../i18n/catalog.ts';
import type { Locale } from '../i18n/locales.ts';
import type { Block, Choice, Reply } from '../reply.ts';
import { encodeIntakeChoice } from '../choice-id.ts';
import { countryName } from '../dataset/format.ts';
import { DETAIL_STEPS, isDetailStep, LIMITS, STEPS, type DraftState, type Step } from './intake.machine.ts';
import { AFFILIATIONS, CATEGORIES, CHANNELS, FAMILY_ANSWERS } from './intake.taxonomy.ts';
import { detailLines } from './details.ts';

const userSteps: Step[] = STEPS.filter((s) => s !== 'station' && !isDetailStep(s));

/** A private intake reply whose sent messages are recorded (`track`), so they can leave the chat later. */
export function reply(blocks: Block[], extra: Partial<Reply> = {}): Reply {
  return { private: true, kind: 'answer', blocks, citations: [], track: true, ...extra };
}

/** An expected failure as a notice above the step it concerns. */
export function errorBlocks(e: CoreError, locale: Locale): Block[] {
  return [{ type: 'notice', text: errorMessage(e, locale) }];
}

/** The labels of a step's data, for the summary. */
export function summaryLines(ctx: CoreContext, s: DraftState): { text: string }[] {
  const l = ctx.actor.locale;
  const d = s.data;
  const view = ctx.deps.dataset();
  // A step not reached yet (a /draft mid-way) shows "—", not a "No" or "rather not say" never given.
  const yesNo = (b: boolean | undefined) => (b === undefined ? '—' : t(l, b ? 'intake.yes' : 'intake.no'));
  const when = !d.when ? '—' : d.when.kind === 'undisclosed' ? t(l, 'intake.when_undisclosed') : d.when.value;
  const station = d.stationId ? view.stations.get(d.stationId) : undefined;
  return [
    { text: `${t(l, 'intake.f.category')}: ${d.category ? t(l, `category.${d.category}`) : '—'}` },
    { text: `${t(l, 'intake.f.when')}: ${when}` },
    {
      text: `${t(l, 'intake.f.where')}: ${d.where ?? '—'}${station ? ` (${station.name[l]}, ${countryName(view, station.countryCode, l)})` : ''}`,
    },
    { text: `${t(l, 'intake.f.what')}: ${d.what ?? '—'}` },
    { text: `${t(l, 'intake.f.evidence')}: ${d.evidence}` },
    { text: `${t(l, 'intake.f.contact')}: ${d.contact ?? '—'}` },
    { text: `${t(l, 'intake.f.consent_contact')}: ${yesNo(d.consentContact)}` },
    { text: `${t(l, 'intake.f.consent_ngo')}: ${yesNo(d.consentNgo)}` },
    { text: `${t(l, 'intake.f.consent_law')}: ${yesNo(d.consentLaw)}` },
    ...detailLines(l, d),
  ];
}

/** The question and choices of an optional detail step (the current answers marked ✓). */
function detailStep(
  l: Locale,
  s: DraftState,
  id: (action: string, arg?: string) => string,
): { blocks: Block[]; choices: Choice[]; prompt?: Reply['prompt'] } {
  const mark = (on: boolean, label: string) => (on ? `✓ ${label}` : label);
  const d = s.data;
  const blocks: Block[] = [{ type: 'text', text: t(l, `intake.q.${s.step}`, { max: LIMITS.identifiers }) }];
  const choices: Choice[] = [];
  if (s.step === 'who')
    choices.push(...AFFILIATIONS.map((a) => ({ id: id('who', a), label: mark(d.who === a, t(l, `affiliation.${a}`)) })));
  if (s.step === 'how')
    choices.push(...CHANNELS.map((c) => ({ id: id('how', c), label: mark(Boolean(d.how?.includes(c)), t(l, `channel.${c}`)) })));
  if (s.step === 'family')
    choices.push(...FAMILY_ANSWERS.map((f) => ({ id: id('family', f), label: mark(d.family === f, t(l, `family.${f}`)) })));
  const next =
    s.step === 'how' && d.how?.length ? { id: id('done'), label: t(l, 'intake.done') } : { id: id('skip'), label: t(l, 'intake.skip') };
  choices.push(next, { id: id('finish'), label: t(l, 'intake.finish') });
  if (s.step !== 'identifiers') return { blocks, choices };
  return {
    blocks,
    choices,
    prompt: { field: 'identifiers', label: t(l, 'intake.f.identifiers'), maxLength: LIMITS.identifiers, multiline: false },
  };
}

/** Renders the current step of a draft. */
export function renderStep(ctx: CoreContext, s: DraftState, version: number, before: Block[] = []): Reply {
  const l = ctx.actor.locale;
  const id = (action: string, arg?: string) => encodeIntakeChoice(version, action, arg);
  const choices: Choice[] = [];
  const n = userSteps.indexOf(s.step === 'station' ? 'where' : s.step) + 1;
  // Someone in danger reads the guidance first, above the report's own steps.
  const danger: Block[] =
    s.step === 'category' && s.data.urgent
      ? [
          { type: 'title', text: t(l, 'intake.danger_title') },
          { type: 'text', text: t(l, 'intake.danger_guidance') },
        ]
      : [];
  const progress = isDetailStep(s.step)
    ? t(l, 'intake.details_progress', { n: DETAIL_STEPS.indexOf(s.step) + 1, total: DETAIL_STEPS.length })
    : t(l, 'intake.progress', { n, total: userSteps.length });
  const blocks: Block[] = [...danger, ...before, { type: 'title', text: progress }];
  let prompt: Reply['prompt'];
  switch (s.step) {
    case 'category':
      if (!s.data.urgent) choices.push({ id: id('danger'), label: t(l, 'intake.danger_button') });
      blocks.push({ type: 'text', text: t(l, 'intake.q.category') });
      for (const c of CATEGORIES) choices.push({ id: id('cat', c), label: t(l, `category.${c}`) });
      break;
    case 'when':
      blocks.push({ type: 'text', text: t(l, 'intake.q.when') });
      prompt = { field: 'when', label: t(l, 'intake.f.when'), maxLength: 10, multiline: false };
      choices.push({ id: id('skip'), label: t(l, 'intake.when_undisclosed') });
      break;
    case 'where':
      blocks.push({ type: 'text', text: t(l, 'intake.q.where', { max: LIMITS.where }) });
      prompt = { field: 'where', label: t(l, 'intake.f.where'), maxLength: LIMITS.where, multiline: false };
      choices.push({ id: id('skip'), label: t(l, 'intake.skip') });
      break;
    case 'station': {
      const view = ctx.deps.dataset();
      blocks.push({ type: 'text', text: t(l, 'intake.q.station') });
      (s.data.stationChoices ?? []).forEach((sid, i) => {
        const st = view.stations.get(sid);
        if (st) choices.push({ id: id('st', String(i)), label: `${st.name[l]} (${countryName(view, st.countryCode, l)})` });
      });
      choices.push({ id: id('skip'), label: t(l, 'intake.none_of_these') });
      break;
    }
    case 'what':
      blocks.push({ type: 'text', text: t(l, 'intake.q.what', { min: LIMITS.whatMin, max: LIMITS.what }) });
      prompt = { field: 'what', label: t(l, 'intake.f.what'), maxLength: LIMITS.what, multiline: true };
      break;
    case 'evidence':
      blocks.push({ type: 'text', text: t(l, 'intake.q.evidence', { max: LIMITS.evidence, count: s.data.evidence }) });
      choices.push({ id: id(s.data.evidence ? 'done' : 'skip'), label: t(l, s.data.evidence ? 'intake.done' : 'intake.skip') });
      break;
    case 'contact':
      blocks.push({ type: 'text', text: t(l, 'intake.q.contact', { max: LIMITS.contact }) });
      prompt = { field: 'contact', label: t(l, 'intake.f.contact'), maxLength: LIMITS.contact, multiline: false };
      choices.push({ id: id('skip'), label: t(l, 'intake.skip') });
      break;
    case 'consent_contact':
    case 'consent_ngo':
    case 'consent_law':
      blocks.push({ type: 'text', text: t(l, `intake.q.${s.step}`) });
      choices.push({ id: id('yes'), label: t(l, 'intake.yes') }, { id: id('no'), label: t(l, 'intake.no') });
      break;
    case 'summary':
      blocks.push(
        { type: 'text', text: t(l, 'intake.q.summary') },
        { type: 'item', title: t(l, 'intake.summary_title'), lines: summaryLines(ctx, s) },
      );
      choices.push({ id: id('submit'), label: t(l, 'intake.submit') }, { id: id('details'), label: t(l, 'intake.details_button') });
      break;
    case 'who':
    case 'how':
    case 'family':
    case 'identifiers': {
      const step = detailStep(l, s, id);
      if (s.step === 'who') blocks.push({ type: 'notice', text: t(l, 'intake.details_intro') });
      blocks.push(...step.blocks);
      choices.push(...step.choices);
      prompt = step.prompt;
      break;
    }
  }
  if (s.history.length) choices.push({ id: id('back'), label: t(l, 'intake.back') });
  choices.push({ id: id('cancel'), label: t(l, 'intake.cancel') });
  return reply(blocks, { choices, ...(prompt ? { prompt } : {}), ...(s.step === 'evidence' ? { acceptsFile: true } : {}) });
}
