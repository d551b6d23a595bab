/** Changes to a report, each audited: claim, assign, status (allowed transitions only), severity, note, station link, duplicate, anonymised version. */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { CoreContext } from '../context.ts';
import type { CoreError } from '../errors.ts';
import { t } from '../i18n/catalog.ts';
import { ok, type Result } from '../result.ts';
import type { Reply } from '../reply.ts';
import { pseudonym } from '../crypto/crypto.ts';
import { sealForReport } from '../crypto/envelope.ts';
import { noteBinding } from '../intake/sealing.ts';
import { countryName } from '../dataset/format.ts';
import { canTransition, isReportStatus, isSeverity, memberTag, REPORT_STATUSES, SEVERITIES, TRANSITIONS } from './triage.rules.ts';
import type { TriageReport, TriageStore } from './triage.ports.ts';
import { saveAnonymised } from './export.ts';
import { deps, fail, findReport, FreeText, privateReply } from './triage.common.ts';
import { actionChoices, btn, summaryLine } from './format.ts';
import { tellNews } from './contact.ts';

/** Applies a change with its audit entry and answers with the updated line and buttons. */
export async function patch(
  ctx: CoreContext,
  r: TriageReport,
  p: Parameters<TriageStore['update']>[1],
  action: string,
  details?: Record<string, string | number | boolean | null>,
): Promise<Result<Reply, CoreError>> {
  await deps(ctx).store.update(r.id, p, { actorHash: ctx.actor.id, action, reportRef: r.publicId, ...(details ? { details } : {}) });
  const updated = (await deps(ctx).store.get(r.publicId))!;
  return ok(
    privateReply(
      [
        { type: 'text', text: t(ctx.actor.locale, 'triage.updated', { id: r.publicId }) },
        { type: 'notice', text: summaryLine(ctx, updated) },
      ],
      { choices: actionChoices(ctx, updated) },
    ),
  );
}

/** `/triage claim <R-ID>`: the member takes the report. */
export async function claim(ctx: CoreContext, args: string[]): Promise<Result<Reply, CoreError>> {
  const found = await findReport(ctx, args[0]);
  if (!found.ok) return found;
  return patch(ctx, found.value, { assigneeHash: ctx.actor.id }, 'report.claimed', {
    from: found.value.assigneeHash ? memberTag(found.value.assigneeHash) : null,
    to: memberTag(ctx.actor.id),
  });
}

/** `/triage assign <R-ID> <member id>`: gives the report to a member. */
export async function assign(ctx: CoreContext, args: string[]): Promise<Result<Reply, CoreError>> {
  const found = await findReport(ctx, args[0]);
  if (!found.ok) return found;
  const member = z
    .string()
    .regex(/^\d{1,20}$/)
    .safeParse(args[1] ?? '');
  if (!member.success) return fail('TRIAGE.BAD_MEMBER');
  const { keyring } = deps(ctx);
  const to = pseudonym(keyring, ctx.actor.platform, member.data);
  return patch(ctx, found.value, { assigneeHash: to }, 'report.assigned', {
    from: found.value.assigneeHash ? memberTag(found.value.assigneeHash) : null,
    to: memberTag(to),
  });
}

/** `/triage status <R-ID> <status>`: only an allowed transition; the reporter may be told there is news. */
export async function setStatus(ctx: CoreContext, args: string[]): Promise<Result<Reply, CoreError>> {
  const found = await findReport(ctx, args[0]);
  if (!found.ok) return found;
  const r = found.value;
  const to = args[1] ?? '';
  if (!isReportStatus(to)) return fail('TRIAGE.BAD_STATUS', { statuses: REPORT_STATUSES.join(', ') });
  if (!canTransition(r.status, to))
    return fail('TRIAGE.BAD_TRANSITION', { from: r.status, to, allowed: TRANSITIONS[r.status].join(', ') || '—' });
  const done = await patch(ctx, r, { status: to, closedAt: to === 'closed' ? ctx.deps.clock.now() : null }, 'report.status', {
    from: r.status,
    to,
  });
  await tellNews(ctx, r);
  return done;
}

/** `/triage severity <R-ID> <severity>`. */
export async function setSeverity(ctx: CoreContext, args: string[]): Promise<Result<Reply, CoreError>> {
  const found = await findReport(ctx, args[0]);
  if (!found.ok) return found;
  const s = args[1] ?? '';
  if (!isSeverity(s)) return fail('TRIAGE.BAD_SEVERITY', { severities: SEVERITIES.join(', ') });
  return patch(ctx, found.value, { severity: s }, 'report.severity', { from: found.value.severity, to: s });
}

/** `/triage note <R-ID> <text>`: a sealed note for the team. */
export async function note(ctx: CoreContext, args: string[], rest: string): Promise<Result<Reply, CoreError>> {
  const found = await findReport(ctx, args[0]);
  if (!found.ok) return found;
  const text = FreeText(2000).safeParse(rest);
  if (!text.success) return fail('TRIAGE.BAD_TEXT', { max: 2000 });
  const d = deps(ctx);
  const id = randomUUID();
  await d.store.addNote(
    {
      id,
      reportId: found.value.id,
      authorHash: ctx.actor.id,
      sealed: sealForReport(d.keyring, found.value.dataKey, noteBinding(found.value.id, id), Buffer.from(text.data)),
    },
    { actorHash: ctx.actor.id, action: 'report.noted', reportRef: found.value.publicId },
  );
  return ok(privateReply([{ type: 'text', text: t(ctx.actor.locale, 'triage.noted', { id: found.value.publicId }) }]));
}

/** `/triage link <R-ID> <place>`: links a station, or offers the matches as buttons. */
export async function link(ctx: CoreContext, args: string[], rest: string): Promise<Result<Reply, CoreError>> {
  const found = await findReport(ctx, args[0]);
  if (!found.ok) return found;
  const view = ctx.deps.dataset();
  const q = rest.trim();
  if (!q) return fail('INPUT.EMPTY', { option: 'station' });
  const direct = view.stations.get(q);
  const hits = direct ? [direct] : view.index.search(q, 10).map((h) => h.station);
  if (!hits.length) return fail('LOOKUP.NOT_FOUND', { query: q, suggestions: view.index.suggest(q).join(', ') || '—' });
  if (hits.length > 1) {
    const l = ctx.actor.locale;
    return ok(
      privateReply([{ type: 'text', text: t(l, 'triage.link_pick', { id: found.value.publicId }) }], {
        choices: hits
          .slice(0, 10)
          .map((s) => ({ id: btn('link', found.value.publicId, s.id), label: `${s.name[l]} (${countryName(view, s.countryCode, l)})` })),
      }),
    );
  }
  return patch(ctx, found.value, { stationId: hits[0]!.id }, 'report.linked', { from: found.value.stationId, to: hits[0]!.id });
}

/** `/triage duplicate <R-ID> <R-ID of the original>`. */
export async function duplicate(ctx: CoreContext, args: string[]): Promise<Result<Reply, CoreError>> {
  const found = await findReport(ctx, args[0]);
  if (!found.ok) return found;
  const other = await findReport(ctx, args[1]);
  if (!other.ok) return other;
  if (other.value.id === found.value.id) return fail('TRIAGE.BAD_DUPLICATE');
  return patch(ctx, found.value, { duplicateOfPublicId: other.value.publicId }, 'report.duplicate', { of: other.value.publicId });
}

/** `/triage anonymise <R-ID> <text>`: the version an export may carry instead of the reporter's words. */
export async function anonymise(ctx: CoreContext, args: string[], rest: string): Promise<Result<Reply, CoreError>> {
  const found = await findReport(ctx, args[0]);
  if (!found.ok) return found;
  const text = FreeText(2000).safeParse(rest);
  if (!text.success) return fail('TRIAGE.BAD_TEXT', { max: 2000 });
  return ok(await saveAnonymised(ctx, found.value, text.data));
}
