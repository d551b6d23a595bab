/** `/triage suggest`: a proposed change to the dataset, accepted only with a known source and a verbatim quote. */
import type { CoreContext } from '../context.ts';
import type { CoreError } from '../errors.ts';
import { t } from '../i18n/catalog.ts';
import { ok, type Result } from '../result.ts';
import type { Reply } from '../reply.ts';
import { deps, fail, findReport, FreeText, privateReply } from './triage.common.ts';

/** `/triage suggest <station id|new> | <change> | <source id> | <quote> [| R-ID]`. */
export async function suggest(ctx: CoreContext, rest: string): Promise<Result<Reply, CoreError>> {
  // suggest <station-id|new> | <proposal> | <source-id> | <verbatim quote> [| R-ID]
  const parts = rest.split('|').map((s) => s.trim());
  const view = ctx.deps.dataset();
  const [target, proposal, sourceId, quote, reportRef] = parts;
  if (parts.length < 4 || !target || !proposal || !sourceId || !quote) return fail('TRIAGE.SUGGEST_USAGE');
  if (target !== 'new' && !view.stations.has(target)) return fail('TRIAGE.SUGGEST_UNKNOWN_STATION', { station: target });
  if (!view.sources.has(sourceId)) return fail('TRIAGE.SUGGEST_NEEDS_SOURCE', { sources: [...view.sources.keys()].join(', ') });
  if (!FreeText(1200).safeParse(quote).success || quote.length < 8 || !FreeText(2000).safeParse(proposal).success)
    return fail('TRIAGE.SUGGEST_USAGE');
  let reportId: string | null = null;
  if (reportRef) {
    const r = await findReport(ctx, reportRef);
    if (!r.ok) return r;
    reportId = r.value.id;
  }
  const id = await deps(ctx).store.addSuggestion(
    { stationId: target === 'new' ? null : target, proposal: { text: proposal }, sourceId, quote, authorHash: ctx.actor.id, reportId },
    { actorHash: ctx.actor.id, action: 'station.suggested', reportRef: reportRef?.toUpperCase() ?? null, details: { station: target } },
  );
  return ok(privateReply([{ type: 'text', text: t(ctx.actor.locale, 'triage.suggested', { id: id.slice(0, 8) }) }]));
}
