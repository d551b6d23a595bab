/**
 * The report intake use case: loads the person's draft, applies what they did through the state
 * machine, saves it (encrypted, versioned so a stale or replayed button changes nothing), renders
 * the next step, and on submit commits the report before handing out the receipt.
 */
import { randomUUID } from 'node:crypto';
import type { CoreContext } from '../context.ts';
import { coreError, errorMessage, type CoreError } from '../errors.ts';
import { fileFingerprint, sha256 } from '../crypto/crypto.ts';
import { newDataKey, openJsonForReport, sealForReport, sealJsonForReport } from '../crypto/envelope.ts';
import { draftBinding, evidenceBinding, payloadBinding, routeBinding } from './sealing.ts';
import { t } from '../i18n/catalog.ts';
import type { Locale } from '../i18n/locales.ts';
import type { Block, Choice, Reply } from '../reply.ts';
import { countryName } from '../dataset/format.ts';
import { DETAIL_STEPS, DraftStateSchema, initialDraft, isComplete, isDetailStep, LIMITS, periodOf, STEPS, transition, type DraftState, type IntakeEvent, type Step } from './intake.machine.ts';
import { AFFILIATIONS, CATEGORIES, CHANNELS, FAMILY_ANSWERS } from './intake.taxonomy.ts';
import { detailLines } from './details.ts';
import { newPublicId, newReceiptCode, receiptHash } from './receipts.ts';
import type { SaveResult, StoredDraft } from './intake.ports.ts';
import type { ReportPayload } from './report-payload.ts';
import type { IncomingFile } from '../incoming-file.ts';
import { closeMailbox, MAILBOX_PREFIX, openMailboxFor } from './mailbox.ts';
import { DELETE_MESSAGE_CHOICE } from '../reply.ts';

/** The prefix of every intake choice id: "rp:<version>:<action>[:<arg>]". */
export const INTAKE_PREFIX = 'rp';

export type { ReportPayload } from './report-payload.ts';


const userSteps: Step[] = STEPS.filter((s) => s !== 'station' && !isDetailStep(s));

function reply(blocks: Block[], extra: Partial<Reply> = {}): Reply {
  return { private: true, kind: 'answer', blocks, citations: [], track: true, ...extra };
}

function errorBlocks(e: CoreError, locale: Locale): Block[] {
  return [{ type: 'notice', text: errorMessage(e, locale) }];
}

/** The labels of a step's data, for the summary. */
function summaryLines(ctx: CoreContext, s: DraftState): { text: string }[] {
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
    { text: `${t(l, 'intake.f.where')}: ${d.where ?? '—'}${station ? ` (${station.name[l]}, ${countryName(view, station.countryCode, l)})` : ''}` },
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
function detailStep(l: Locale, s: DraftState, id: (action: string, arg?: string) => string): { blocks: Block[]; choices: Choice[]; prompt?: Reply['prompt'] } {
  const mark = (on: boolean, label: string) => (on ? `✓ ${label}` : label);
  const d = s.data;
  const blocks: Block[] = [{ type: 'text', text: t(l, `intake.q.${s.step}`, { max: LIMITS.identifiers }) }];
  const choices: Choice[] = [];
  if (s.step === 'who') choices.push(...AFFILIATIONS.map((a) => ({ id: id('who', a), label: mark(d.who === a, t(l, `affiliation.${a}`)) })));
  if (s.step === 'how') choices.push(...CHANNELS.map((c) => ({ id: id('how', c), label: mark(Boolean(d.how?.includes(c)), t(l, `channel.${c}`)) })));
  if (s.step === 'family') choices.push(...FAMILY_ANSWERS.map((f) => ({ id: id('family', f), label: mark(d.family === f, t(l, `family.${f}`)) })));
  const next = s.step === 'how' && d.how?.length ? { id: id('done'), label: t(l, 'intake.done') } : { id: id('skip'), label: t(l, 'intake.skip') };
  choices.push(next, { id: id('finish'), label: t(l, 'intake.finish') });
  if (s.step !== 'identifiers') return { blocks, choices };
  return { blocks, choices, prompt: { field: 'identifiers', label: t(l, 'intake.f.identifiers'), maxLength: LIMITS.identifiers, multiline: false } };
}

/** Renders the current step of a draft. */
export function renderStep(ctx: CoreContext, s: DraftState, version: number, before: Block[] = []): Reply {
  const l = ctx.actor.locale;
  const id = (action: string, arg?: string) => [INTAKE_PREFIX, version, action, ...(arg === undefined ? [] : [arg])].join(':');
  const choices: Choice[] = [];
  const n = userSteps.indexOf(s.step === 'station' ? 'where' : s.step) + 1;
  // Someone in danger reads the guidance first, above the report's own steps.
  const danger: Block[] = s.step === 'category' && s.data.urgent ? [{ type: 'title', text: t(l, 'intake.danger_title') }, { type: 'text', text: t(l, 'intake.danger_guidance') }] : [];
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
      blocks.push({ type: 'text', text: t(l, 'intake.q.summary') }, { type: 'item', title: t(l, 'intake.summary_title'), lines: summaryLines(ctx, s) });
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

function deps(ctx: CoreContext) {
  const d = ctx.deps.intake;
  if (!d) throw new Error('intake dependencies are not configured');
  return d;
}

/** The person's draft, opened; `fresh` skips the process-local copy (see draft-cache.ts). */
async function loadDraft(ctx: CoreContext, fresh = false): Promise<{ stored: StoredDraft; state: DraftState } | null> {
  const d = deps(ctx);
  const stored = await d.drafts.get(ctx.actor.id, ctx.deps.clock.now(), { fresh });
  if (!stored) return null;
  const parsed = DraftStateSchema.safeParse(openDraftState(d.keyring, stored));
  if (!parsed.success) {
    await d.drafts.delete(stored.key); // unreadable: from an incompatible version; start over cleanly
    return null;
  }
  return { stored, state: parsed.data as DraftState };
}

// A draft from an older version (no data key) or an unknown key cannot be opened: it starts over.
function openDraftState(ring: Parameters<typeof openJsonForReport>[0], stored: StoredDraft): unknown {
  try {
    return openJsonForReport(ring, stored.dataKey, draftBinding(stored.reportId, stored.key), stored.state);
  } catch {
    return undefined;
  }
}

function expiry(ctx: CoreContext): Date {
  return new Date(ctx.deps.clock.now().getTime() + deps(ctx).settings.draftTtlMinutes * 60_000);
}

/** /report: starts a draft, or offers to continue the one in progress. */
export async function startReport(_input: Record<string, never>, ctx: CoreContext): Promise<{ ok: true; value: Reply }> {
  const l = ctx.actor.locale;
  if (await blocked(ctx)) return { ok: true, value: blockedReply(ctx) };
  const existing = await loadDraft(ctx, true);
  if (existing) {
    const v = existing.stored.version;
    return {
      ok: true,
      value: reply([{ type: 'text', text: t(l, 'intake.in_progress') }], {
        choices: [
          { id: `${INTAKE_PREFIX}:${v}:resume`, label: t(l, 'intake.resume') },
          { id: `${INTAKE_PREFIX}:${v}:restart`, label: t(l, 'intake.restart') },
        ],
      }),
    };
  }
  const state = initialDraft();
  const d = deps(ctx);
  // The report's id is chosen now: it names the data key that seals the draft, its images and the report.
  const reportId = randomUUID();
  const dataKey = newDataKey(d.keyring, reportId);
  const sealed = sealJsonForReport(d.keyring, dataKey, draftBinding(reportId, ctx.actor.id), state);
  const stored = await d.drafts.create({ key: ctx.actor.id, reportId, dataKey, step: state.step, state: sealed, messages: [], expiresAt: expiry(ctx) });
  const intro: Block[] = [{ type: 'notice', text: t(l, 'intake.intro') }];
  // What stays on the person's device differs by platform: said before anything is typed.
  if (ctx.actor.platform !== 'console') intro.push({ type: 'notice', text: t(l, ctx.actor.platform === 'telegram' ? 'intake.clean_chat_telegram' : 'intake.clean_chat_discord') });
  return { ok: true, value: renderStep(ctx, state, stored.version, intro) };
}

async function save(ctx: CoreContext, stored: StoredDraft, state: DraftState): Promise<{ result: SaveResult; version: number }> {
  const d = deps(ctx);
  const next: StoredDraft = { ...stored, step: state.step, version: stored.version + 1, state: sealJsonForReport(d.keyring, stored.dataKey, draftBinding(stored.reportId, stored.key), state), expiresAt: expiry(ctx) };
  return { result: await d.drafts.update(next, stored.version), version: next.version };
}

/** The current step with a "that step was already answered" notice (an answer lost a race). */
async function stale(ctx: CoreContext): Promise<Reply> {
  const l = ctx.actor.locale;
  const now = await loadDraft(ctx, true);
  if (!now) return reply([{ type: 'text', text: errorMessage(coreError('REPORT.NO_DRAFT'), l) }], { kind: 'error', code: 'REPORT.NO_DRAFT' });
  return { ...renderStep(ctx, now.state, now.stored.version, errorBlocks(coreError('REPORT.STALE_STEP'), l)), kind: 'error', code: 'REPORT.STALE_STEP' };
}

function stationsFor(ctx: CoreContext) {
  return (where: string) => ctx.deps.dataset().index.search(where, 5).filter((h) => h.score >= 80).map((h) => h.station.id);
}

async function apply(ctx: CoreContext, event: IntakeEvent, version?: number): Promise<Reply>;
async function apply(ctx: CoreContext, event: IntakeEvent, version: number | undefined, quietIfNone: true): Promise<Reply | null>;
async function apply(ctx: CoreContext, event: IntakeEvent, version?: number, quietIfNone = false): Promise<Reply | null> {
  const l = ctx.actor.locale;
  // The first pass may use this process's copy of the draft; whatever it cannot save or accept
  // is tried again on the stored draft (the copy may be outdated: another process moved on).
  for (const fresh of [false, true]) {
    const draft = await loadDraft(ctx, fresh);
    if (!draft && quietIfNone) return null;
    if (!draft) return reply([{ type: 'text', text: errorMessage(coreError('REPORT.NO_DRAFT'), l) }], { kind: 'error', code: 'REPORT.NO_DRAFT' });
    const { stored, state } = draft;
    if (version !== undefined && version !== stored.version) {
      if (!fresh) continue;
      return renderStep(ctx, state, stored.version, errorBlocks(coreError('REPORT.STALE_STEP'), l));
    }
    const next = transition(state, event, { now: ctx.deps.clock.now(), stationsFor: stationsFor(ctx) });
    if (!next.ok) {
      if (!fresh) continue;
      return { ...renderStep(ctx, state, stored.version, errorBlocks(next.error, l)), kind: 'error', code: next.error.code };
    }
    const saved = await save(ctx, stored, next.state);
    if (saved.result === 'saved') return renderStep(ctx, next.state, saved.version);
    if (saved.result === 'taken') break;
  }
  // Another answer to this step (a double tap, another process) was kept: nothing of this one was.
  return stale(ctx);
}

/** A button of the intake ("rp:<version>:<action>[:<arg>]"). */
export async function intakeChoice(id: string, ctx: CoreContext): Promise<Reply> {
  const l = ctx.actor.locale;
  const m = /^rp:(\d{1,9}):([a-z_]{1,16})(?::([a-z0-9_]{1,32}))?$/.exec(id);
  if (!m) return reply([{ type: 'text', text: errorMessage(coreError('INPUT.INVALID', { option: 'button' }), l) }], { kind: 'error', code: 'INPUT.INVALID' });
  const version = Number(m[1]);
  const action = m[2]!;
  const arg = m[3];
  const d = deps(ctx);
  if (action === 'cancel' || action === 'restart' || action === 'resume' || action === 'submit') {
    const draft = await loadDraft(ctx, true);
    if (!draft) return reply([{ type: 'text', text: errorMessage(coreError('REPORT.NO_DRAFT'), l) }], { kind: 'error', code: 'REPORT.NO_DRAFT' });
    if (draft.stored.version !== version) return renderStep(ctx, draft.state, draft.stored.version, errorBlocks(coreError('REPORT.STALE_STEP'), l));
    if (action === 'resume') return renderStep(ctx, draft.state, draft.stored.version);
    if (action === 'cancel' || action === 'restart') {
      await d.drafts.delete(draft.stored.key);
      if (action === 'restart') return (await startReport({}, ctx)).value;
      return reply([{ type: 'text', text: t(l, 'intake.cancelled') }], { track: false, deleteMessages: draft.stored.messages });
    }
    return submit(ctx, draft.stored, draft.state);
  }
  return apply(ctx, arg === undefined ? { kind: 'choice', action } : { kind: 'choice', action, arg }, version);
}

/** Free text in a private chat: the answer to the current step ("yes"/"no" typed at a consent step). */
export async function intakeText(text: string, ctx: CoreContext): Promise<Reply | null> {
  const typed = yesNo(text);
  if (typed) {
    const draft = await loadDraft(ctx);
    if (draft?.state.step.startsWith('consent_')) return apply(ctx, { kind: 'choice', action: typed });
  }
  return apply(ctx, { kind: 'text', text: text.slice(0, 20_000) }, undefined, true);
}

/** Words for yes and no in the three languages (lower case, without final punctuation). */
const YES = new Set(['yes', 'y', 'yeah', 'yep', 'ok', 'okay', 'sure', '是', '是的', '好', '好的', '可以', '同意', '对', '對', '对的', '對的', '行', '愿意', '願意']);
const NO = new Set(['no', 'n', 'nope', 'not', '否', '不', '不是', '不要', '不可以', '不同意', '不行', '不愿意', '不願意', '没有', '沒有']);

/** "Yes", "是的。", "no!" → the consent answer they give, else null. */
export function yesNo(text: string): 'yes' | 'no' | null {
  const w = text.trim().toLowerCase().replace(/[.!。！,，\s]+$/u, '');
  if (YES.has(w) || YES.has(text.trim())) return 'yes';
  if (NO.has(w)) return 'no';
  return null;
}

/** /cancel: deletes the draft in progress (and its images); nothing is sent. */
export async function cancelReport(_input: Record<string, never>, ctx: CoreContext): Promise<{ ok: true; value: Reply } | { ok: false; error: CoreError }> {
  const draft = await loadDraft(ctx, true);
  // /cancel also closes an open mailbox (a "Reply" the person changed their mind about).
  const closed = await closeMailbox(ctx);
  if (!draft && closed) return { ok: true, value: reply([{ type: 'text', text: t(ctx.actor.locale, 'mailbox.cancelled') }], { track: false }) };
  if (!draft) return { ok: false, error: coreError('REPORT.NO_DRAFT') };
  await deps(ctx).drafts.delete(draft.stored.key);
  return { ok: true, value: reply([{ type: 'text', text: t(ctx.actor.locale, 'intake.cancelled') }], { track: false, deleteMessages: draft.stored.messages }) };
}

/** /back: the previous step of the draft in progress, its answer kept until changed. */
export async function backReport(_input: Record<string, never>, ctx: CoreContext): Promise<{ ok: true; value: Reply } | { ok: false; error: CoreError }> {
  const draft = await loadDraft(ctx, true);
  if (!draft) return { ok: false, error: coreError('REPORT.NO_DRAFT') };
  return { ok: true, value: await apply(ctx, { kind: 'choice', action: 'back' }) };
}

/** /draft: what the draft holds so far, to its owner only (a private reply), then the current step. */
export async function showDraft(_input: Record<string, never>, ctx: CoreContext): Promise<{ ok: true; value: Reply } | { ok: false; error: CoreError }> {
  const draft = await loadDraft(ctx, true);
  if (!draft) return { ok: false, error: coreError('REPORT.NO_DRAFT') };
  const l = ctx.actor.locale;
  const summary: Block = { type: 'item', title: t(l, 'intake.draft_title'), lines: summaryLines(ctx, draft.state) };
  return { ok: true, value: renderStep(ctx, draft.state, draft.stored.version, [summary]) };
}

/** The current step of the person's draft, if one is in progress (re-asked after another command). */
export async function pendingStep(ctx: CoreContext): Promise<Reply | null> {
  if (ctx.chat !== 'private' || !ctx.deps.intake) return null;
  const draft = await loadDraft(ctx);
  return draft ? renderStep(ctx, draft.state, draft.stored.version, [{ type: 'notice', text: t(ctx.actor.locale, 'intake.still_in_progress') }]) : null;
}

/** An image sent during the evidence step: checked, cleaned of metadata, sealed, attached to the draft. */
export async function intakeFile(file: IncomingFile, ctx: CoreContext): Promise<Reply> {
  const l = ctx.actor.locale;
  const d = deps(ctx);
  let draft = await loadDraft(ctx);
  if (draft && (draft.state.step !== 'evidence' || draft.state.data.evidence >= LIMITS.evidence)) draft = await loadDraft(ctx, true); // the copy may be outdated
  if (!draft) return reply([{ type: 'text', text: errorMessage(coreError('REPORT.NO_DRAFT'), l) }], { kind: 'error', code: 'REPORT.NO_DRAFT' });
  const { stored, state } = draft;
  const fail = (e: CoreError) => ({ ...renderStep(ctx, state, stored.version, errorBlocks(e, l)), kind: 'error' as const, code: e.code });
  if (state.step !== 'evidence') return fail(coreError('REPORT.FILE_NOT_NOW'));
  if (state.data.evidence >= LIMITS.evidence) return fail(coreError('REPORT.TOO_MANY_FILES', { max: LIMITS.evidence }));
  if (file.bytes.byteLength > d.settings.evidenceMaxBytes) return fail(coreError('REPORT.FILE_TOO_LARGE', { mb: Math.floor(d.settings.evidenceMaxBytes / 1_000_000) }));
  const cleaned = await d.images.clean(file.bytes);
  if (!cleaned.ok) return fail(coreError(cleaned.reason === 'type' ? 'REPORT.FILE_TYPE' : cleaned.reason === 'too-large' ? 'REPORT.FILE_TOO_LARGE' : 'REPORT.FILE_CORRUPT', { mb: Math.floor(d.settings.evidenceMaxBytes / 1_000_000) }));
  // keyed, like the stored column: the draft never holds the plain hash of the GPS-tagged original
  const original = fileFingerprint(d.keyring, file.bytes);
  const added = transition(state, { kind: 'file-added', sha256: original }, { now: ctx.deps.clock.now(), stationsFor: stationsFor(ctx) });
  if (!added.ok) return fail(added.error);
  const id = randomUUID();
  await d.reports.addEvidence({
    id,
    draftKey: stored.key,
    sealed: sealForReport(d.keyring, stored.dataKey, evidenceBinding(stored.reportId, id), cleaned.bytes),
    sha256Original: original,
    sha256Stored: sha256(cleaned.bytes),
    mime: cleaned.mime,
    bytes: cleaned.bytes.byteLength,
  });
  // The image is attached to the draft; now count it in the draft's state (again on the current
  // draft if the first was an outdated copy).
  let current = { stored, next: added };
  for (let attempt = 0; attempt < 2; attempt++) {
    const saved = await save(ctx, current.stored, current.next.state);
    if (saved.result === 'saved') return renderStep(ctx, current.next.state, saved.version, [{ type: 'notice', text: t(l, 'intake.file_received', { n: current.next.state.data.evidence }) }]);
    if (saved.result === 'taken') break;
    const now = await loadDraft(ctx, true);
    const again = now && transition(now.state, { kind: 'file-added', sha256: original }, { now: ctx.deps.clock.now(), stationsFor: stationsFor(ctx) });
    if (!now || !again?.ok) break;
    current = { stored: now.stored, next: again };
  }
  return stale(ctx);
}

/** Under the receipt: "tell me when there is news" (opt-in, off by default) and "delete this message". */
async function receiptChoices(ctx: CoreContext, reportId: string): Promise<Choice[]> {
  const l = ctx.actor.locale;
  const news = ctx.route && (await openMailboxFor(ctx, reportId)) ? [{ id: `${MAILBOX_PREFIX}:news-on`, label: t(l, 'mailbox.btn_news_on') }] : [];
  return [...news, { id: DELETE_MESSAGE_CHOICE, label: t(l, 'intake.receipt_delete') }];
}

/** Whether the team blocked this person from submitting (a block set while they were typing counts too). */
async function blocked(ctx: CoreContext): Promise<boolean> {
  const b = ctx.deps.intake?.blocks;
  return Boolean(b && (await b.blockedUntil(ctx.actor.id, ctx.deps.clock.now())));
}

/** Neutral: it does not say "blocked" (nor until when), and points to help for someone in danger. */
function blockedReply(ctx: CoreContext): Reply {
  return reply([{ type: 'text', text: t(ctx.actor.locale, 'intake.not_now') }], { kind: 'error', code: 'REPORT.NOT_NOW', track: false });
}

async function submit(ctx: CoreContext, stored: StoredDraft, state: DraftState): Promise<Reply> {
  const l = ctx.actor.locale;
  const d = deps(ctx);
  const data = state.data;
  if (await blocked(ctx)) return blockedReply(ctx);
  if (state.step !== 'summary' || !isComplete(data)) return renderStep(ctx, state, stored.version, errorBlocks(coreError('REPORT.UNEXPECTED_INPUT'), l));
  const code = newReceiptCode();
  const id = stored.reportId;
  const payload: ReportPayload = {
    when: data.when,
    where: data.where ?? null,
    stationId: data.stationId ?? null,
    what: data.what,
    contact: data.contact ?? null,
    messages: stored.messages,
    details: { who: data.who ?? null, how: data.how ?? [], family: data.family ?? null, identifiers: data.identifiers ?? null },
  };
  const consent = { consentContact: data.consentContact, consentShareNgo: data.consentNgo, consentShareLaw: data.consentLaw };
  const route = data.consentContact && ctx.route ? sealForReport(d.keyring, stored.dataKey, routeBinding(id), Buffer.from(ctx.route)) : null;
  for (let attempt = 0; attempt < 5; attempt++) {
    const publicId = newPublicId();
    const result = await d.reports.submit(
      {
        id,
        publicId,
        reporterHash: ctx.actor.id,
        receiptHash: receiptHash(d.keyring.hashKey, code),
        platform: ctx.actor.platform,
        category: data.category,
        payload: sealJsonForReport(d.keyring, stored.dataKey, payloadBinding(id, consent), payload),
        route,
        ...consent,
        stationId: data.stationId ?? null,
        period: periodOf(data.when),
        urgent: Boolean(data.urgent),
        draftKey: stored.key,
        createdAt: ctx.deps.clock.now(),
      },
      { perHour: d.settings.ratePerHour, now: ctx.deps.clock.now() },
    );
    if (result.ok) {
      ctx.deps.log.info({ report: publicId, category: data.category, evidence: result.evidence }, 'report submitted');
      return reply(
        [
          { type: 'title', text: t(l, 'intake.received_title') },
          // The console has no triage chat: say how its notices really reach the team.
          { type: 'text', text: t(l, ctx.actor.platform === 'console' ? 'intake.received_console' : 'intake.received', { id: publicId }) },
          { type: 'text', text: t(l, 'intake.receipt', { code }) },
          { type: 'notice', text: t(l, 'intake.receipt_keep') },
        ],
        // The questions asked (and the summary of the answers) leave the chat: only the receipt stays,
        // and it can go too once the code is saved.
        { track: false, deleteMessages: stored.messages, ...(ctx.actor.platform === 'console' ? {} : { choices: await receiptChoices(ctx, id) }) },
      );
    }
    if (result.reason === 'rate-limited')
      return { ...renderStep(ctx, state, stored.version, errorBlocks(coreError('REPORT.RATE_LIMITED', { minutes: result.retryAfterMinutes }), l)), kind: 'error', code: 'REPORT.RATE_LIMITED' };
  }
  throw new Error('could not allocate a unique report id');
}
