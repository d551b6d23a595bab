/** Triage buttons ("tr:<action>:<R-ID>[:<arg>]"): parsed strictly, then re-checked like the typed command. */
import type { CoreContext } from '../context.ts';
import { errorMessage, type CoreError } from '../errors.ts';
import type { Result } from '../result.ts';
import type { Reply } from '../reply.ts';
import { fail, findReport, privateReply } from './triage.common.ts';
import { patch } from './update.ts';
import { triage } from './triage.command.ts';

/** A triage button ("tr:<action>:<R-ID>[:<arg>]"), re-checked like the command. */
export async function triageChoice(id: string, ctx: CoreContext): Promise<Reply> {
  const l = ctx.actor.locale;
  const m = /^tr:(view|claim|status|link|evidence):(R-[0-9A-Z]{6})(?::([a-z0-9_-]{1,64}))?$/.exec(id);
  const asReply = (r: Result<Reply, CoreError>): Reply => (r.ok ? r.value : privateReply([{ type: 'text', text: errorMessage(r.error, l) }], { kind: 'error', code: r.error.code }));
  if (!ctx.actor.triage) return asReply(fail('TRIAGE.FORBIDDEN'));
  if (!m) return asReply(fail('INPUT.INVALID', { option: 'button' }));
  const [, action, publicId, arg] = m;
  if (action === 'link') {
    const found = await findReport(ctx, publicId);
    if (!found.ok) return asReply(found);
    if (!arg || !ctx.deps.dataset().stations.has(arg)) return asReply(fail('INPUT.INVALID', { option: 'button' }));
    return asReply(await patch(ctx, found.value, { stationId: arg }, 'report.linked', { from: found.value.stationId, to: arg }));
  }
  return asReply(await triage({ action: action!, args: [publicId, arg].filter(Boolean).join(' ') }, ctx));
}
