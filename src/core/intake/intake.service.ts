/**
 * The report intake use case: loads the person's draft, applies what they did through the state
 * machine, saves it (encrypted, versioned so a stale or replayed button changes nothing), renders
 * the next step, and on submit commits the report before handing out the receipt.
 *
 * The steps are rendered by intake.render.ts, the draft is opened and saved by intake.drafts.ts,
 * and a complete draft is committed by intake.submit.ts.
 */
import { randomUUID } from 'node:crypto';
import type { CoreContext } from '../context.ts';
import { coreError, errorMessage, type CoreError } from '../errors.ts';
import { fileFingerprint, sha256 } from '../crypto/crypto.ts';
import { newDataKey, sealForReport, sealJsonForReport } from '../crypto/envelope.ts';
import { draftBinding, evidenceBinding } from './sealing.ts';
import { t } from '../i18n/catalog.ts';
import type { Block, Reply } from '../reply.ts';
import { initialDraft, LIMITS, transition, type IntakeEvent } from './intake.machine.ts';
import { fileTooLarge, type IncomingFile } from '../incoming-file.ts';
import { capabilitiesOf } from '../capabilities.ts';
import { closeMailbox } from './mailbox.ts';
import { deps, expiry, loadDraft, save } from './intake.drafts.ts';
import { errorBlocks, renderStep, reply, summaryLines } from './intake.render.ts';
import { encodeIntakeChoice, type IntakeChoiceId } from '../choice-id.ts';
import { blocked, blockedReply, submit } from './intake.submit.ts';

export { renderStep } from './intake.render.ts';
export type { ReportPayload } from './report-payload.ts';

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
          { id: encodeIntakeChoice(v, 'resume'), label: t(l, 'intake.resume') },
          { id: encodeIntakeChoice(v, 'restart'), label: t(l, 'intake.restart') },
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
  const stored = await d.drafts.create({
    key: ctx.actor.id,
    reportId,
    dataKey,
    step: state.step,
    state: sealed,
    messages: [],
    expiresAt: expiry(ctx),
  });
  const intro: Block[] = [{ type: 'notice', text: t(l, 'intake.intro') }];
  // What stays on the person's device depends on what the platform deletes: said before anything is typed.
  const can = capabilitiesOf(ctx);
  if (can.deletesUserMessages) intro.push({ type: 'notice', text: t(l, 'intake.clean_chat_telegram') });
  else if (can.deletesOwnMessages) intro.push({ type: 'notice', text: t(l, 'intake.clean_chat_discord') });
  return { ok: true, value: renderStep(ctx, state, stored.version, intro) };
}

/** The current step with a "that step was already answered" notice (an answer lost a race). */
async function stale(ctx: CoreContext): Promise<Reply> {
  const l = ctx.actor.locale;
  const now = await loadDraft(ctx, true);
  if (!now)
    return reply([{ type: 'text', text: errorMessage(coreError('REPORT.NO_DRAFT'), l) }], { kind: 'error', code: 'REPORT.NO_DRAFT' });
  return {
    ...renderStep(ctx, now.state, now.stored.version, errorBlocks(coreError('REPORT.STALE_STEP'), l)),
    kind: 'error',
    code: 'REPORT.STALE_STEP',
  };
}

function stationsFor(ctx: CoreContext) {
  return (where: string) =>
    ctx.deps
      .dataset()
      .index.search(where, 5)
      .filter((h) => h.score >= 80)
      .map((h) => h.station.id);
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
    if (!draft)
      return reply([{ type: 'text', text: errorMessage(coreError('REPORT.NO_DRAFT'), l) }], { kind: 'error', code: 'REPORT.NO_DRAFT' });
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

/** A button of the intake ("rp:<version>:<action>[:<arg>]"; null: an "rp:" id that does not decode). */
export async function intakeChoice(choice: IntakeChoiceId | null, ctx: CoreContext): Promise<Reply> {
  const l = ctx.actor.locale;
  if (!choice)
    return reply([{ type: 'text', text: errorMessage(coreError('INPUT.INVALID', { option: 'button' }), l) }], {
      kind: 'error',
      code: 'INPUT.INVALID',
    });
  const { version, action, arg } = choice;
  const d = deps(ctx);
  if (action === 'cancel' || action === 'restart' || action === 'resume' || action === 'submit') {
    const draft = await loadDraft(ctx, true);
    if (!draft)
      return reply([{ type: 'text', text: errorMessage(coreError('REPORT.NO_DRAFT'), l) }], { kind: 'error', code: 'REPORT.NO_DRAFT' });
    if (draft.stored.version !== version)
      return renderStep(ctx, draft.state, draft.stored.version, errorBlocks(coreError('REPORT.STALE_STEP'), l));
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
const YES = new Set([
  'yes',
  'y',
  'yeah',
  'yep',
  'ok',
  'okay',
  'sure',
  '是',
  '是的',
  '好',
  '好的',
  '可以',
  '同意',
  '对',
  '對',
  '对的',
  '對的',
  '行',
  '愿意',
  '願意',
]);
const NO = new Set(['no', 'n', 'nope', 'not', '否', '不', '不是', '不要', '不可以', '不同意', '不行', '不愿意', '不願意', '没有', '沒有']);

/** "Yes", "是的。", "no!" → the consent answer they give, else null. */
export function yesNo(text: string): 'yes' | 'no' | null {
  const w = text
    .trim()
    .toLowerCase()
    .replace(/[.!。！,，\s]+$/u, '');
  if (YES.has(w) || YES.has(text.trim())) return 'yes';
  if (NO.has(w)) return 'no';
  return null;
}

/** /cancel: deletes the draft in progress (and its images); nothing is sent. */
export async function cancelReport(
  _input: Record<string, never>,
  ctx: CoreContext,
): Promise<{ ok: true; value: Reply } | { ok: false; error: CoreError }> {
  const draft = await loadDraft(ctx, true);
  // /cancel also closes an open mailbox (a "Reply" the person changed their mind about).
  const closed = await closeMailbox(ctx);
  if (!draft && closed)
    return { ok: true, value: reply([{ type: 'text', text: t(ctx.actor.locale, 'mailbox.cancelled') }], { track: false }) };
  if (!draft) return { ok: false, error: coreError('REPORT.NO_DRAFT') };
  await deps(ctx).drafts.delete(draft.stored.key);
  return {
    ok: true,
    value: reply([{ type: 'text', text: t(ctx.actor.locale, 'intake.cancelled') }], {
      track: false,
      deleteMessages: draft.stored.messages,
    }),
  };
}

/** /back: the previous step of the draft in progress, its answer kept until changed. */
export async function backReport(
  _input: Record<string, never>,
  ctx: CoreContext,
): Promise<{ ok: true; value: Reply } | { ok: false; error: CoreError }> {
  const draft = await loadDraft(ctx, true);
  if (!draft) return { ok: false, error: coreError('REPORT.NO_DRAFT') };
  return { ok: true, value: await apply(ctx, { kind: 'choice', action: 'back' }) };
}

/** /draft: what the draft holds so far, to its owner only (a private reply), then the current step. */
export async function showDraft(
  _input: Record<string, never>,
  ctx: CoreContext,
): Promise<{ ok: true; value: Reply } | { ok: false; error: CoreError }> {
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
  return draft
    ? renderStep(ctx, draft.state, draft.stored.version, [{ type: 'notice', text: t(ctx.actor.locale, 'intake.still_in_progress') }])
    : null;
}

/** An image sent during the evidence step: checked, cleaned of metadata, sealed, attached to the draft. */
export async function intakeFile(file: IncomingFile, ctx: CoreContext): Promise<Reply> {
  const l = ctx.actor.locale;
  const d = deps(ctx);
  let draft = await loadDraft(ctx);
  if (draft && (draft.state.step !== 'evidence' || draft.state.data.evidence >= LIMITS.evidence)) draft = await loadDraft(ctx, true); // the copy may be outdated
  if (!draft)
    return reply([{ type: 'text', text: errorMessage(coreError('REPORT.NO_DRAFT'), l) }], { kind: 'error', code: 'REPORT.NO_DRAFT' });
  const { stored, state } = draft;
  const fail = (e: CoreError) => ({ ...renderStep(ctx, state, stored.version, errorBlocks(e, l)), kind: 'error' as const, code: e.code });
  if (state.step !== 'evidence') return fail(coreError('REPORT.FILE_NOT_NOW'));
  if (state.data.evidence >= LIMITS.evidence) return fail(coreError('REPORT.TOO_MANY_FILES', { max: LIMITS.evidence }));
  // by the declared size too: a file over the limit is refused without being downloaded
  const tooLarge = fileTooLarge(file, d.settings.evidenceMaxBytes);
  if (tooLarge) return fail(tooLarge);
  const cleaned = await d.images.clean(file.bytes);
  if (!cleaned.ok)
    return fail(
      coreError(
        cleaned.reason === 'type' ? 'REPORT.FILE_TYPE' : cleaned.reason === 'too-large' ? 'REPORT.FILE_TOO_LARGE' : 'REPORT.FILE_CORRUPT',
        { mb: Math.floor(d.settings.evidenceMaxBytes / 1_000_000) },
      ),
    );
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
    if (saved.result === 'saved')
      return renderStep(ctx, current.next.state, saved.version, [
        { type: 'notice', text: t(l, 'intake.file_received', { n: current.next.state.data.evidence }) },
      ]);
    if (saved.result === 'taken') break;
    const now = await loadDraft(ctx, true);
    const again =
      now && transition(now.state, { kind: 'file-added', sha256: original }, { now: ctx.deps.clock.now(), stationsFor: stationsFor(ctx) });
    if (!now || !again?.ok) break;
    current = { stored: now.stored, next: again };
  }
  return stale(ctx);
}
