/** Submitting a complete draft: the report is committed (sealed, rate-limited, not while blocked) before the receipt is handed out. */
import type { CoreContext } from '../context.ts';
import { capabilitiesOf } from '../capabilities.ts';
import { coreError } from '../errors.ts';
import { sealForReport, sealJsonForReport } from '../crypto/envelope.ts';
import { payloadBinding, routeBinding } from './sealing.ts';
import { t } from '../i18n/catalog.ts';
import type { Choice, Reply } from '../reply.ts';
import { encodeDeleteMessageChoice, encodeMailboxChoice } from '../choice-id.ts';
import { isComplete, periodOf, type DraftState } from './intake.machine.ts';
import { newPublicId, newReceiptCode, receiptHash } from './receipts.ts';
import type { StoredDraft } from './intake.ports.ts';
import type { ReportPayload } from './report-payload.ts';
import { openMailboxFor } from './mailbox.ts';
import { deps } from './intake.drafts.ts';
import { errorBlocks, renderStep, reply } from './intake.render.ts';

/** Under the receipt: "tell me when there is news" (opt-in, off by default) and "delete this message". */
async function receiptChoices(ctx: CoreContext, reportId: string): Promise<Choice[]> {
  const l = ctx.actor.locale;
  const news =
    ctx.route && (await openMailboxFor(ctx, reportId)) ? [{ id: encodeMailboxChoice('news-on'), label: t(l, 'mailbox.btn_news_on') }] : [];
  // "Delete this message" only where the bot can delete its own messages.
  const remove = capabilitiesOf(ctx).deletesOwnMessages ? [{ id: encodeDeleteMessageChoice(), label: t(l, 'intake.receipt_delete') }] : [];
  return [...news, ...remove];
}

/** Whether the team blocked this person from submitting (a block set while they were typing counts too). */
export async function blocked(ctx: CoreContext): Promise<boolean> {
  const b = ctx.deps.intake?.blocks;
  return Boolean(b && (await b.blockedUntil(ctx.actor.id, ctx.deps.clock.now())));
}

/** Neutral: it does not say "blocked" (nor until when), and points to help for someone in danger. */
export function blockedReply(ctx: CoreContext): Reply {
  return reply([{ type: 'text', text: t(ctx.actor.locale, 'intake.not_now') }], { kind: 'error', code: 'REPORT.NOT_NOW', track: false });
}

/** Commits a complete draft as a report and answers with the receipt (the code is shown once, only its hash is stored). */
export async function submit(ctx: CoreContext, stored: StoredDraft, state: DraftState): Promise<Reply> {
  const l = ctx.actor.locale;
  const d = deps(ctx);
  const data = state.data;
  if (await blocked(ctx)) return blockedReply(ctx);
  if (state.step !== 'summary' || !isComplete(data))
    return renderStep(ctx, state, stored.version, errorBlocks(coreError('REPORT.UNEXPECTED_INPUT'), l));
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
  const route =
    data.consentContact && ctx.route ? sealForReport(d.keyring, stored.dataKey, routeBinding(id), Buffer.from(ctx.route)) : null;
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
          // Without a triage chat (the console): say how its notices really reach the team.
          { type: 'text', text: t(l, capabilitiesOf(ctx).triageChat ? 'intake.received' : 'intake.received_console', { id: publicId }) },
          { type: 'text', text: t(l, 'intake.receipt', { code }) },
          { type: 'notice', text: t(l, 'intake.receipt_keep') },
        ],
        // The questions asked (and the summary of the answers) leave the chat: only the receipt stays,
        // and it can go too once the code is saved.
        {
          track: false,
          deleteMessages: stored.messages,
          ...(await receiptChoices(ctx, id).then((choices) => (choices.length ? { choices } : {}))),
        },
      );
    }
    if (result.reason === 'rate-limited')
      return {
        ...renderStep(ctx, state, stored.version, errorBlocks(coreError('REPORT.RATE_LIMITED', { minutes: result.retryAfterMinutes }), l)),
        kind: 'error',
        code: 'REPORT.RATE_LIMITED',
      };
  }
  throw new Error('could not allocate a unique report id');
}
