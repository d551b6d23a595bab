/** `/triage audit`: the last fifty audit entries, of one report or all (ids and labels, never content). */
import type { CoreContext } from '../context.ts';
import type { CoreError } from '../errors.ts';
import { t } from '../i18n/catalog.ts';
import { ok, type Result } from '../result.ts';
import type { Reply } from '../reply.ts';
import type { AuditRow } from './triage.ports.ts';
import { deps, fail, PublicId, privateReply } from './triage.common.ts';
import { who } from './format.ts';

/** An audit entry's change, "old → new" (values are ids and labels, never content). */
function change(d: AuditRow['details']): string {
  if (!d || !('to' in d)) return '';
  return ` ${d.from ?? '—'} → ${d.to ?? '—'}`;
}

/** `/triage audit [R-ID]`: the trail, newest first. */
export async function audit(ctx: CoreContext, args: string[]): Promise<Result<Reply, CoreError>> {
  const ref = args[0] ? PublicId.safeParse(args[0]) : undefined;
  if (ref && !ref.success) return fail('TRIAGE.BAD_REPORT_ID');
  const rows = await deps(ctx).store.auditLog({ reportRef: ref?.data, take: 50 });
  const l = ctx.actor.locale;
  return ok(
    privateReply([
      { type: 'title', text: t(l, 'triage.audit_title', { count: rows.length }) },
      rows.length
        ? {
            type: 'item',
            title: t(l, 'triage.audit_hint'),
            lines: rows.map((a) => ({
              text: `${a.at.toISOString().slice(0, 19).replace('T', ' ')} ${a.actorHash.length === 64 ? who(a.actorHash, ctx) : a.actorHash} ${a.action}${a.reportRef ? ` ${a.reportRef}` : ''}${change(a.details)}`,
            })),
          }
        : { type: 'text', text: t(l, 'triage.audit_empty') },
    ]),
  );
}
