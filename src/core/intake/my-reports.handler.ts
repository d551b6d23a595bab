/**
 * myreports <receipt> and forget <receipt>: a reporter checks or erases their own report. An
 * unknown receipt and someone else's receipt get the same answer, so the bot is no oracle.
 */
import type { CoreContext } from '../context.ts';
import { coreError, type CoreError } from '../errors.ts';
import { openJsonForReport } from '../crypto/envelope.ts';
import { payloadBinding } from './sealing.ts';
import { t } from '../i18n/catalog.ts';
import { ok, err, type Result } from '../result.ts';
import type { Reply } from '../reply.ts';
import { looksLikeReceipt, receiptHash } from './receipts.ts';
import { guessWait, recordWrongGuess } from './receipt-guesses.ts';
import type { ReportPayload } from './report-payload.ts';
import type { OwnReport } from './intake.ports.ts';
import { mailboxBlocks } from './mailbox.ts';

async function own(input: { receipt: string }, ctx: CoreContext): Promise<Result<OwnReport, CoreError>> {
  const d = ctx.deps.intake;
  if (!d) throw new Error('intake dependencies are not configured');
  if (!looksLikeReceipt(input.receipt)) return err(coreError('REPORT.RECEIPT_MALFORMED'));
  const now = ctx.deps.clock.now();
  // Checked before the lookup: past the limit, right and wrong codes get the same answer.
  const wait = await guessWait(d.guesses, ctx.actor.id, now);
  if (wait) return err(coreError('REPORT.RECEIPT_LIMITED', { minutes: wait }));
  const report = await d.reports.findByReceipt(receiptHash(d.keyring.hashKey, input.receipt));
  if (report && report.reporterHash === ctx.actor.id) return ok(report);
  await recordWrongGuess(d.guesses, ctx.actor.id, now);
  return err(coreError('REPORT.RECEIPT_UNKNOWN'));
}

/** The status of one's own report. */
export async function myReports(input: { receipt: string }, ctx: CoreContext): Promise<Result<Reply, CoreError>> {
  const found = await own(input, ctx);
  if (!found.ok) return found;
  const r = found.value;
  const l = ctx.actor.locale;
  const mailbox = await mailboxBlocks(ctx, r);
  return ok({
    private: true,
    kind: 'answer',
    citations: [],
    ...(mailbox ? { choices: mailbox.choices } : {}),
    blocks: [
      { type: 'title', text: t(l, 'myreports.title', { id: r.publicId }) },
      {
        type: 'item',
        title: t(l, `category.${r.category as 'other'}`),
        lines: [
          { text: t(l, 'myreports.status', { status: t(l, `report_status.${r.status as 'new'}`) }) },
          { text: t(l, 'myreports.submitted', { date: r.createdAt.toISOString().slice(0, 10) }) },
          { text: t(l, 'myreports.updated', { date: r.updatedAt.toISOString().slice(0, 10) }) },
        ],
      },
      ...(mailbox?.blocks ?? []),
      { type: 'notice', text: t(l, 'myreports.forget_hint') },
    ],
  });
}

/** Erases one's own report and its evidence; asks the adapter to delete the intake messages. */
export async function forget(input: { receipt: string }, ctx: CoreContext): Promise<Result<Reply, CoreError>> {
  const found = await own(input, ctx);
  if (!found.ok) return found;
  const r = found.value;
  const d = ctx.deps.intake!;
  let messages: string[] = [];
  try {
    messages = openJsonForReport<ReportPayload>(d.keyring, r.dataKey, payloadBinding(r.id, r), r.payload).messages ?? [];
  } catch {
    /* a key no longer configured: erase anyway */
  }
  await d.reports.erase(r.id, r.publicId, { person: ctx.actor.id });
  // "Forget me": their language choice goes too (the next answer follows the platform's language).
  await ctx.deps.preferences.forget(ctx.actor.id);
  ctx.deps.log.info({ report: r.publicId }, 'report erased by its reporter');
  return ok({
    private: true,
    kind: 'answer',
    citations: [],
    deleteMessages: messages,
    blocks: [{ type: 'text', text: t(ctx.actor.locale, 'forget.done', { id: r.publicId }) }],
  });
}
