/** `/triage queue`: open reports, filtered by status, category, severity, mine/unassigned/urgent, ten a page. */
import type { CoreContext } from '../context.ts';
import { t } from '../i18n/catalog.ts';
import { ok, type Result } from '../result.ts';
import type { CoreError } from '../errors.ts';
import type { Block, Choice, Reply } from '../reply.ts';
import { isCategory } from '../intake/intake.taxonomy.ts';
import { isReportStatus, isSeverity, OPEN_STATUSES } from './triage.rules.ts';
import { deps, fail, privateReply } from './triage.common.ts';
import { btn, summaryLine } from './format.ts';

/** The queue's word filters: my reports, nobody's, only the urgent ones. */
const QUEUE_FLAGS = ['mine', 'unassigned', 'urgent'] as const;

const PAGE = 10;

/** `/triage queue [filters]`: a page of reports, urgent ones first. */
export async function queue(ctx: CoreContext, args: string[]): Promise<Result<Reply, CoreError>> {
  const l = ctx.actor.locale;
  const statuses = args.filter(isReportStatus);
  const category = args.find(isCategory);
  const severity = args.find(isSeverity);
  const pageArg = args.find((a) => /^p\d{1,4}$/.test(a));
  const flags = args.filter((a) => (QUEUE_FLAGS as readonly string[]).includes(a));
  const unknown = args.filter((a) => a !== category && a !== severity && a !== pageArg && !isReportStatus(a) && !flags.includes(a));
  if (unknown.length) return fail('TRIAGE.BAD_FILTER', { filter: unknown.join(' ') });
  const page = pageArg ? Math.max(1, Number(pageArg.slice(1))) : 1;
  const assignee = flags.includes('mine') ? ctx.actor.id : flags.includes('unassigned') ? null : undefined;
  const f = {
    statuses: statuses.length ? statuses : [...OPEN_STATUSES],
    category,
    severity,
    assignee,
    urgent: flags.includes('urgent'),
    skip: (page - 1) * PAGE,
    take: PAGE,
  };
  const { rows, total } = await deps(ctx).store.queue(f);
  const pages = Math.max(1, Math.ceil(total / PAGE));
  const blocks: Block[] = [
    {
      type: 'title',
      text: t(l, total === 1 ? 'triage.queue_title_one' : 'triage.queue_title', { total, page: Math.min(page, pages), pages }),
    },
  ];
  // Past the last page: say where the queue ends rather than "page 2 of 1".
  if (page > pages)
    blocks.push({ type: 'text', text: t(l, pages === 1 ? 'triage.queue_past_end_one' : 'triage.queue_past_end', { page, pages }) });
  else if (!rows.length) blocks.push({ type: 'text', text: t(l, 'triage.queue_empty') });
  else blocks.push({ type: 'item', title: t(l, 'triage.queue_hint'), lines: rows.map((r) => ({ text: summaryLine(ctx, r) })) });
  const choices: Choice[] = rows.map((r) => ({ id: btn('view', r.publicId), label: r.publicId }));
  return ok(privateReply(blocks, { choices }));
}
