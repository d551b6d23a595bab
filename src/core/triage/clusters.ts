/** `/triage clusters`: open reports that may be about the same people: one station and month, one place, one phone or account. */
import type { CoreContext } from '../context.ts';
import type { CoreError } from '../errors.ts';
import { t } from '../i18n/catalog.ts';
import { ok, type Result } from '../result.ts';
import type { Reply } from '../reply.ts';
import { normalize } from '../lookup/normalize.ts';
import { identifierKeys } from '../intake/identifiers.ts';
import { OPEN_STATUSES } from './triage.rules.ts';
import { deps, payloadOf, privateReply } from './triage.common.ts';

/** `/triage clusters`: groups of two or more open reports (audited). */
export async function clusters(ctx: CoreContext): Promise<Result<Reply, CoreError>> {
  const l = ctx.actor.locale;
  const d = deps(ctx);
  const open = await d.store.select({ statuses: [...OPEN_STATUSES] });
  await d.store.audit({ actorHash: ctx.actor.id, action: 'reports.clustered', details: { reports: open.length } });
  // Keyed groups; the label shown is the first one seen (an identifier shows only its hint).
  const groups = new Map<string, { label: string; ids: string[] }>();
  const add = (k: string, label: string, id: string) => {
    const g = groups.get(k) ?? { label, ids: [] };
    if (!g.ids.includes(id)) g.ids.push(id);
    groups.set(k, g);
  };
  const view = ctx.deps.dataset();
  for (const r of open) {
    const period = r.period ?? t(l, 'date.unknown');
    const p = payloadOf(ctx, r);
    if (r.stationId) add(`s:${r.stationId}:${period}`, `${view.stations.get(r.stationId)?.name[l] ?? r.stationId} · ${period}`, r.publicId);
    const place = p.where && !r.stationId ? normalize(p.where).split(' ').slice(0, 3).join(' ') : '';
    if (place) add(`w:${place}:${period}`, `“${place}” · ${period}`, r.publicId);
    // The same phone or account across reports, whatever the month: the same people, perhaps.
    for (const k of identifierKeys(p.details?.identifiers))
      add(
        `${k.kind}:${k.key}`,
        t(
          l,
          k.kind === 'phone' ? 'triage.cluster_phone' : 'triage.cluster_account',
          k.kind === 'phone' ? { tail: k.hint } : { hint: k.hint },
        ),
        r.publicId,
      );
  }
  const lines = [...groups.values()].filter((g) => g.ids.length > 1).map((g) => ({ text: `${g.label}: ${g.ids.join(', ')}` }));
  return ok(
    privateReply([
      { type: 'title', text: t(l, 'triage.clusters_title') },
      lines.length ? { type: 'item', title: t(l, 'triage.clusters_hint'), lines } : { type: 'text', text: t(l, 'triage.clusters_none') },
    ]),
  );
}
