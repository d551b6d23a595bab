/** Every triage action's handler, by name: the one place an action is wired to its use case. */
import type { CoreContext } from '../context.ts';
import type { CoreError } from '../errors.ts';
import { ok, type Result } from '../result.ts';
import type { Reply } from '../reply.ts';
import { REPORT_STATUSES } from './triage.rules.ts';
import type { TriageAction } from './triage.actions.ts';
import { deps, payloadOf } from './triage.common.ts';
import { statsReply } from './stats.ts';
import { exportReports } from './export.ts';
import { help } from './help.ts';
import { queue } from './queue.ts';
import { evidenceFiles, view } from './view.ts';
import { anonymise, assign, claim, duplicate, link, note, setSeverity, setStatus } from './update.ts';
import { ask, contact } from './contact.ts';
import { block, listBlocks, unblock } from './blocks.ts';
import { role, snippet } from './team.ts';
import { suggest } from './suggest.ts';
import { clusters } from './clusters.ts';
import { audit } from './audit.ts';

/** What an action gets: the words typed after it, the text after the first word (the report id), and all of it. */
export interface ActionInput {
  args: string[];
  afterId: string;
  rest: string;
}

/** One action's use case. */
export type ActionHandler = (ctx: CoreContext, input: ActionInput) => Promise<Result<Reply, CoreError>>;

const lower = (args: string[]) => args.map((a) => a.toLowerCase());

/** `/triage stats`: a picture of every report by week, category and status (audited). */
async function stats(ctx: CoreContext): Promise<Result<Reply, CoreError>> {
  const all = await deps(ctx).store.select({ statuses: [...REPORT_STATUSES] });
  await deps(ctx).store.audit({ actorHash: ctx.actor.id, action: 'reports.stats', details: { reports: all.length } });
  return ok(await statsReply(ctx, all));
}

/** The handler of each action; a new action will not compile until it has one. */
export const ACTION_HANDLERS: Record<TriageAction, ActionHandler> = {
  help: async (ctx) => help(ctx),
  queue: (ctx, { args }) => queue(ctx, lower(args)),
  view: (ctx, { args }) => view(ctx, args),
  evidence: (ctx, { args }) => evidenceFiles(ctx, args),
  claim: (ctx, { args }) => claim(ctx, args),
  assign: (ctx, { args }) => assign(ctx, args),
  status: (ctx, { args }) => setStatus(ctx, [args[0] ?? '', (args[1] ?? '').toLowerCase()]),
  severity: (ctx, { args }) => setSeverity(ctx, [args[0] ?? '', (args[1] ?? '').toLowerCase()]),
  note: (ctx, { args, afterId }) => note(ctx, args, afterId),
  link: (ctx, { args, afterId }) => link(ctx, args, afterId),
  duplicate: (ctx, { args }) => duplicate(ctx, args),
  suggest: (ctx, { rest }) => suggest(ctx, rest),
  ask: (ctx, { args, afterId }) => ask(ctx, args, afterId),
  contact: (ctx, { args, afterId }) => contact(ctx, args, afterId),
  clusters: (ctx) => clusters(ctx),
  stats: (ctx) => stats(ctx),
  export: (ctx, { args }) => exportReports(ctx, lower(args), (r) => payloadOf(ctx, r)),
  anonymise: (ctx, { args, afterId }) => anonymise(ctx, args, afterId),
  snippet: (ctx, { args, afterId }) => snippet(ctx, args, afterId),
  role: (ctx, { args }) => role(ctx, args),
  block: (ctx, { args, afterId }) => block(ctx, args, afterId),
  unblock: (ctx, { args }) => unblock(ctx, args),
  blocks: (ctx) => listBlocks(ctx),
  audit: (ctx, { args }) => audit(ctx, args),
};

/** Runs one allowed action. */
export function runAction(action: TriageAction, rest: string, ctx: CoreContext): Promise<Result<Reply, CoreError>> {
  const args = rest.trim().split(/\s+/).filter(Boolean);
  const afterId = rest.trim().replace(/^\S+\s*/, '');
  return ACTION_HANDLERS[action](ctx, { args, afterId, rest });
}
