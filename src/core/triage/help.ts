/** `/triage help`: every action the member's role allows, with its usage, and the queue's filters. */
import type { CoreContext } from '../context.ts';
import type { CoreError } from '../errors.ts';
import { t } from '../i18n/catalog.ts';
import { ok, type Result } from '../result.ts';
import type { Block, Reply } from '../reply.ts';
import { CATEGORIES } from '../intake/intake.taxonomy.ts';
import { REPORT_STATUSES, SEVERITIES } from './triage.rules.ts';
import { mayDo, TRIAGE_ACTIONS, usageOf } from './triage.actions.ts';
import { privateReply } from './triage.common.ts';
import { categoryLabel, statusLabel } from './format.ts';

/** `/triage`, `/triage help`: every action the member's role allows, one usage line each, and the queue's filters. */
export function help(ctx: CoreContext, unknown?: string): Result<Reply, CoreError> {
  const l = ctx.actor.locale;
  const allowed = TRIAGE_ACTIONS.filter((a) => a !== 'help' && mayDo(ctx, a));
  const lines = allowed.map((a) => ({ text: `${usageOf(a)} — ${t(l, `triage.action.${a}`).replace(/^[a-z]+[:：]\s*/, '')}` }));
  const filters = [
    t(l, 'triage.help_statuses', { statuses: REPORT_STATUSES.map((s) => `${s} (${statusLabel(l, s)})`).join(', ') }),
    t(l, 'triage.help_categories', { categories: CATEGORIES.map((c) => `${c} (${categoryLabel(l, c)})`).join(', ') }),
    t(l, 'triage.help_severities', { severities: SEVERITIES.join(', ') }),
    t(l, 'triage.help_flags'),
  ];
  const blocks: Block[] = [];
  if (unknown !== undefined) blocks.push({ type: 'text', text: t(l, 'triage.help_unknown', { action: unknown.slice(0, 32) }) });
  blocks.push(
    { type: 'item', title: t(l, ctx.actor.role === 'reviewer' ? 'triage.help_title_reviewer' : 'triage.help_title_lead'), lines },
    { type: 'item', title: t(l, 'triage.help_filters'), lines: filters.map((text) => ({ text })) },
  );
  return unknown === undefined ? ok(privateReply(blocks)) : ok({ ...privateReply(blocks), kind: 'error', code: 'TRIAGE.BAD_ACTION' });
}
