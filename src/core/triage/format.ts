/** How triage shows a report: labels, the queue line, its buttons, and the notice for the team chat (never content). */
import type { CoreContext } from '../context.ts';
import { t } from '../i18n/catalog.ts';
import type { Locale } from '../i18n/locales.ts';
import type { Choice, Reply } from '../reply.ts';
import { encodeTriageChoice, type TriageChoiceAction } from '../choice-id.ts';
import type { Category } from '../intake/intake.taxonomy.ts';
import { memberTag, TRANSITIONS, type ReportStatus, type Severity } from './triage.rules.ts';
import type { TriageReport } from './triage.ports.ts';
import type { TriageNotice } from './notifier.ts';

/** A member as shown: "you", or their short tag. */
export function who(hash: string | null, ctx: CoreContext): string {
  if (!hash) return '—';
  return hash === ctx.actor.id ? t(ctx.actor.locale, 'triage.you') : memberTag(hash);
}

/** A status in the member's language. */
export function statusLabel(l: Locale, s: ReportStatus) {
  return t(l, `report_status.${s}`);
}

/** A category in the member's language. */
export function categoryLabel(l: Locale, c: Category) {
  return t(l, `category.${c}`);
}

/** A severity in the member's language ("not set" for none). */
export function severityLabel(l: Locale, s: Severity | null) {
  return s ? t(l, `severity.${s}`) : t(l, 'severity.unset');
}

/** How long ago, in hours (under two days) or days. */
export function ageOf(ctx: CoreContext, d: Date): string {
  const h = Math.max(0, Math.floor((ctx.deps.clock.now().getTime() - d.getTime()) / 3_600_000));
  return h < 48 ? t(ctx.actor.locale, 'triage.age_hours', { n: h }) : t(ctx.actor.locale, 'triage.age_days', { n: Math.floor(h / 24) });
}

/** One queue line: id, status, category, severity, age, assignee (never content). */
export function summaryLine(ctx: CoreContext, r: TriageReport): string {
  const l = ctx.actor.locale;
  // A person in danger is seen first: the queue lists them first, with the mark.
  return (
    (r.urgent ? `${t(l, 'triage.urgent_mark')} ` : '') +
    t(l, 'triage.queue_line', {
      id: r.publicId,
      status: statusLabel(l, r.status),
      category: categoryLabel(l, r.category),
      severity: severityLabel(l, r.severity),
      age: ageOf(ctx, r.createdAt),
      assignee: who(r.assigneeHash, ctx),
    })
  );
}

/** A triage button id: "tr:<action>:<R-ID>[:<arg>]" (choice-id.ts). */
export const btn = (action: TriageChoiceAction, id: string, arg?: string) => encodeTriageChoice(action, id, arg);

/** The buttons under a report: view, claim (if not already the member's), each allowed next status. */
export function actionChoices(ctx: CoreContext, r: TriageReport): Choice[] {
  const l = ctx.actor.locale;
  const choices: Choice[] = [{ id: btn('view', r.publicId), label: t(l, 'triage.btn_view') }];
  if (r.assigneeHash !== ctx.actor.id) choices.push({ id: btn('claim', r.publicId), label: t(l, 'triage.btn_claim') });
  for (const next of TRANSITIONS[r.status])
    choices.push({ id: btn('status', r.publicId, next), label: t(l, 'triage.btn_status', { status: statusLabel(l, next) }) });
  return choices;
}

/** The notice the team sees for a new report: id, category, severity, time, and buttons. Never content. */
export function renderNotice(n: TriageNotice, locale: Locale): Reply {
  return {
    private: false,
    kind: 'answer',
    citations: [],
    blocks: [
      {
        type: 'text',
        text:
          (n.urgent ? t(locale, 'triage.notice_urgent') + ' ' : '') +
          t(locale, n.kind === 'answered' ? 'triage.notice_answered' : 'triage.notice', {
            id: n.publicId,
            category: categoryLabel(locale, n.category),
            severity: severityLabel(locale, n.severity),
            time: n.at.toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
          }),
      },
    ],
    choices: [
      { id: btn('view', n.publicId), label: t(locale, 'triage.btn_view') },
      { id: btn('claim', n.publicId), label: t(locale, 'triage.btn_claim') },
      { id: btn('status', n.publicId, 'in_review'), label: t(locale, 'triage.btn_status', { status: statusLabel(locale, 'in_review') }) },
    ],
  };
}
