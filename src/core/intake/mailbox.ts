/**
 * The reporter's way back in. `/myreports <receipt>` opens the report's mailbox: its status
 * history and its thread with the team (never the team's internal notes), with "Reply" and
 * "Add evidence". The receipt is typed once: a session (stored, like a draft, and expiring like
 * one) remembers which report the next answer or image goes to. An answer is sealed with the
 * report's data key, joins the report, moves `needs_info` back to `in_review` and queues a
 * contentless notice for the team.
 *
 * Choice ids: "mb:reply", "mb:evidence", "mb:done", "mb:news-on", "mb:news-off" (choice-id.ts; the
 * session, not the id, names the report).
 */
import { randomUUID } from 'node:crypto';
import type { CoreContext } from '../context.ts';
import { fileFingerprint, sha256 } from '../crypto/crypto.ts';
import { openForReport, openJsonForReport, sealForReport, sealJsonForReport } from '../crypto/envelope.ts';
import { coreError, errorMessage, type CoreError } from '../errors.ts';
import { t } from '../i18n/catalog.ts';
import { fileTooLarge, type IncomingFile } from '../incoming-file.ts';
import { capabilitiesOf } from '../capabilities.ts';
import type { Block, Choice, Reply } from '../reply.ts';
import { encodeMailboxChoice, type MailboxChoiceId } from '../choice-id.ts';
import { normalizeText, textIssue } from '../text-input.ts';
import type { OwnReport } from './intake.ports.ts';
import type { MailboxMode, MailboxStore } from './mailbox.ports.ts';
import { evidenceBinding, messageBinding, payloadBinding } from './sealing.ts';
import type { ReportPayload } from './report-payload.ts';

/** The longest answer a reporter may write (as a report's description). */
export const ANSWER_MAX = 2000;

const sessionKey = (ctx: CoreContext) => `mailbox:${ctx.actor.id}`;
const day = (d: Date) => d.toISOString().slice(0, 10);

function store(ctx: CoreContext): MailboxStore | undefined {
  return ctx.deps.intake?.mailbox;
}

function answer(blocks: Block[], extra: Partial<Reply> = {}): Reply {
  return { private: true, kind: 'answer', blocks, citations: [], ...extra };
}

function failure(ctx: CoreContext, e: CoreError, extra: Partial<Reply> = {}): Reply {
  return {
    private: true,
    kind: 'error',
    code: e.code,
    blocks: [{ type: 'text', text: errorMessage(e, ctx.actor.locale) }],
    citations: [],
    ...extra,
  };
}

function menu(ctx: CoreContext, news?: boolean): Choice[] {
  const l = ctx.actor.locale;
  const toggle =
    news === undefined || !capabilitiesOf(ctx).pushesNotices
      ? []
      : [{ id: encodeMailboxChoice(news ? 'news-off' : 'news-on'), label: t(l, news ? 'mailbox.btn_news_off' : 'mailbox.btn_news_on') }];
  return [
    { id: encodeMailboxChoice('reply'), label: t(l, 'mailbox.btn_reply') },
    { id: encodeMailboxChoice('evidence'), label: t(l, 'mailbox.btn_evidence') },
    ...toggle,
    { id: encodeMailboxChoice('done'), label: t(l, 'mailbox.btn_done') },
  ];
}

/** The report's payload, opened (the reporter's own report: their data key). */
function payloadOf(ctx: CoreContext, r: OwnReport): ReportPayload {
  return openJsonForReport<ReportPayload>(ctx.deps.intake!.keyring, r.dataKey, payloadBinding(r.id, r), r.payload);
}

/** Sets where "there is news" goes (the private chat), or null: sealed into the payload. */
async function setNews(ctx: CoreContext, r: OwnReport, route: string | null): Promise<void> {
  const payload = { ...payloadOf(ctx, r), news: route };
  await store(ctx)!.setPayload(r.id, sealJsonForReport(ctx.deps.intake!.keyring, r.dataKey, payloadBinding(r.id, r), payload));
}

/** Opens the mailbox of a report just submitted, so the receipt's "tell me when there is news" works. */
export async function openMailboxFor(ctx: CoreContext, reportId: string): Promise<boolean> {
  if (!store(ctx) || !capabilitiesOf(ctx).pushesNotices) return false;
  await setMode(ctx, reportId, 'menu');
  return true;
}

async function setMode(ctx: CoreContext, reportId: string, mode: MailboxMode): Promise<void> {
  const d = ctx.deps.intake!;
  const expires = new Date(ctx.deps.clock.now().getTime() + d.settings.draftTtlMinutes * 60_000);
  await d.mailbox!.openSession(sessionKey(ctx), { reportId, mode }, expires);
}

/** The thread and status history of a report, as its reporter sees them. */
async function threadBlocks(ctx: CoreContext, r: OwnReport): Promise<Block[]> {
  const l = ctx.actor.locale;
  const mb = store(ctx)!;
  const history = await mb.statusHistory(r.publicId);
  const lines = [
    { text: t(l, 'mailbox.history_submitted', { date: day(r.createdAt) }) },
    ...history.map((h) => ({ text: t(l, 'mailbox.history_status', { date: day(h.at), status: t(l, `report_status.${h.to as 'new'}`) }) })),
  ];
  const blocks: Block[] = [{ type: 'item', title: t(l, 'mailbox.history_title'), lines }];
  const messages = await mb.messages(r.id);
  const ring = ctx.deps.intake!.keyring;
  const thread = messages.map((m) => ({
    text: t(l, m.fromTeam ? 'mailbox.from_team' : 'mailbox.from_you', {
      date: day(m.createdAt),
      text: openForReport(ring, r.dataKey, messageBinding(r.id, m.id), m.sealed).toString('utf8'),
    }),
  }));
  blocks.push({
    type: 'item',
    title: t(l, 'mailbox.thread_title'),
    lines: thread.length ? thread : [{ text: t(l, 'mailbox.thread_empty') }],
  });
  return blocks;
}

/** The mailbox part of `/myreports`: history, thread and the choices; opens the session. */
export async function mailboxBlocks(ctx: CoreContext, r: OwnReport): Promise<{ blocks: Block[]; choices: Choice[] } | null> {
  if (!store(ctx)) return null;
  const blocks = await threadBlocks(ctx, r);
  const news = Boolean(payloadOf(ctx, r).news);
  if (capabilitiesOf(ctx).pushesNotices)
    blocks.push({ type: 'text', text: t(ctx.actor.locale, news ? 'mailbox.news_is_on' : 'mailbox.news_is_off') });
  await setMode(ctx, r.id, 'menu');
  return { blocks, choices: menu(ctx, news) };
}

/** The open session's report, or a reply saying to open the mailbox again. */
async function current(ctx: CoreContext): Promise<{ report: OwnReport; mode: MailboxMode } | Reply> {
  const mb = store(ctx);
  const s = mb && (await mb.session(sessionKey(ctx), ctx.deps.clock.now()));
  const report = s && (await mb.report(s.reportId));
  if (!s || !report || report.reporterHash !== ctx.actor.id) return failure(ctx, coreError('REPORT.MAILBOX_CLOSED'));
  return { report, mode: s.mode };
}

/** A mailbox button: Reply, Add evidence, Done, the status notice on or off (null: an "mb:" id that does not decode). */
export async function mailboxChoice(choice: MailboxChoiceId | null, ctx: CoreContext): Promise<Reply> {
  const l = ctx.actor.locale;
  const open = await current(ctx);
  if ('kind' in open) return open;
  const action = choice?.action;
  const { report } = open;
  if (action === 'reply') {
    await setMode(ctx, report.id, 'reply');
    return answer([{ type: 'text', text: t(l, 'mailbox.reply_prompt', { id: report.publicId }) }], {
      prompt: { field: 'answer', label: t(l, 'mailbox.reply_label'), maxLength: ANSWER_MAX, multiline: true },
    });
  }
  if (action === 'evidence') {
    await setMode(ctx, report.id, 'evidence');
    return answer([{ type: 'text', text: t(l, 'mailbox.evidence_prompt', { id: report.publicId }) }], {
      acceptsFile: true,
      choices: [{ id: encodeMailboxChoice('done'), label: t(l, 'mailbox.btn_done') }],
    });
  }
  if (action === 'news-on' || action === 'news-off') {
    // Only a private chat can get the notice: never a shared one.
    if (action === 'news-on' && (!ctx.route || ctx.chat !== 'private')) return failure(ctx, coreError('REPORT.NEWS_UNAVAILABLE'));
    await setNews(ctx, report, action === 'news-on' ? ctx.route! : null);
    return answer([{ type: 'text', text: t(l, action === 'news-on' ? 'mailbox.news_on' : 'mailbox.news_off', { id: report.publicId }) }], {
      choices: menu(ctx, action === 'news-on'),
    });
  }
  if (action === 'done') {
    await store(ctx)!.closeSession(sessionKey(ctx));
    return answer([{ type: 'text', text: t(l, 'mailbox.closed', { id: report.publicId }) }]);
  }
  return failure(ctx, coreError('INPUT.INVALID', { option: 'choice' }));
}

/** The report whose mailbox waits for this kind of message; null when none does (the message is not the mailbox's). */
async function waitingFor(ctx: CoreContext, mode: MailboxMode): Promise<OwnReport | Reply | null> {
  const mb = store(ctx);
  const s = mb && (await mb.session(sessionKey(ctx), ctx.deps.clock.now()));
  if (!s || s.mode !== mode) return null;
  const report = await mb.report(s.reportId);
  return report && report.reporterHash === ctx.actor.id ? report : failure(ctx, coreError('REPORT.MAILBOX_CLOSED'));
}

/** A text while the mailbox waits for an answer; null when it does not. */
export async function mailboxText(text: string, ctx: CoreContext): Promise<Reply | null> {
  const report = await waitingFor(ctx, 'reply');
  if (!report || 'kind' in report) return report;
  const mb = store(ctx)!;
  const l = ctx.actor.locale;
  const clean = normalizeText(text, true);
  const issue = textIssue(clean, 1, ANSWER_MAX);
  // A bad answer changes nothing: the mailbox still waits for it.
  if (issue)
    return failure(ctx, coreError(issue === 'control' ? 'REPORT.CONTROL_CHARS' : 'INPUT.TOO_LONG', { option: 'answer', max: ANSWER_MAX }), {
      prompt: { field: 'answer', label: t(l, 'mailbox.reply_label'), maxLength: ANSWER_MAX, multiline: true },
    });
  const id = randomUUID();
  const sealed = sealForReport(ctx.deps.intake!.keyring, report.dataKey, messageBinding(report.id, id), Buffer.from(clean));
  await mb.addFromReporter(report.id, report.publicId, { kind: 'message', id, sealed });
  await setMode(ctx, report.id, 'menu');
  return answer([{ type: 'text', text: t(l, 'mailbox.answer_added', { id: report.publicId }) }], { choices: menu(ctx) });
}

/** An image while the mailbox waits for evidence; null when it does not. */
export async function mailboxFile(file: IncomingFile, ctx: CoreContext): Promise<Reply | null> {
  const report = await waitingFor(ctx, 'evidence');
  if (!report || 'kind' in report) return report;
  const mb = store(ctx)!;
  const d = ctx.deps.intake!;
  const l = ctx.actor.locale;
  const again = { acceptsFile: true, choices: [{ id: encodeMailboxChoice('done'), label: t(l, 'mailbox.btn_done') }] };
  const mb5 = { mb: Math.floor(d.settings.evidenceMaxBytes / 1_000_000) };
  const tooLarge = fileTooLarge(file, d.settings.evidenceMaxBytes);
  if (tooLarge) return failure(ctx, tooLarge, again);
  const cleaned = await d.images.clean(file.bytes);
  if (!cleaned.ok)
    return failure(
      ctx,
      coreError(
        cleaned.reason === 'type' ? 'REPORT.FILE_TYPE' : cleaned.reason === 'too-large' ? 'REPORT.FILE_TOO_LARGE' : 'REPORT.FILE_CORRUPT',
        mb5,
      ),
      again,
    );
  const id = randomUUID();
  const evidence = {
    id,
    sealed: sealForReport(d.keyring, report.dataKey, evidenceBinding(report.id, id), cleaned.bytes),
    sha256Original: fileFingerprint(d.keyring, file.bytes),
    sha256Stored: sha256(cleaned.bytes),
    mime: cleaned.mime,
    bytes: cleaned.bytes.byteLength,
  };
  await mb.addFromReporter(report.id, report.publicId, { kind: 'evidence', evidence });
  return answer([{ type: 'text', text: t(l, 'mailbox.evidence_added', { id: report.publicId }) }], again);
}

/** Closes the person's mailbox (`/cancel`); true when one was open. */
export async function closeMailbox(ctx: CoreContext): Promise<boolean> {
  const mb = store(ctx);
  if (!mb || !(await mb.session(sessionKey(ctx), ctx.deps.clock.now()))) return false;
  await mb.closeSession(sessionKey(ctx));
  return true;
}
