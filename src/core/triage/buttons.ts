/** Triage buttons ("tr:<action>:<R-ID>[:<arg>]", decoded strictly by choice-id.ts), re-checked like the typed command. */
import type { CoreContext } from '../context.ts';
import { errorMessage, type CoreError } from '../errors.ts';
import type { Result } from '../result.ts';
import type { Reply } from '../reply.ts';
import type { TriageChoiceId } from '../choice-id.ts';
import { fail, findReport, privateReply } from './triage.common.ts';
import { patch } from './update.ts';
import { triage } from './triage.command.ts';

/** A triage button ("tr:<action>:<R-ID>[:<arg>]"; null: a "tr:" id that does not decode), re-checked like the command. */
export async function triageChoice(choice: TriageChoiceId | null, ctx: CoreContext): Promise<Reply> {
  const l = ctx.actor.locale;
  const asReply = (r: Result<Reply, CoreError>): Reply =>
    r.ok ? r.value : privateReply([{ type: 'text', text: errorMessage(r.error, l) }], { kind: 'error', code: r.error.code });
  if (!ctx.actor.triage) return asReply(fail('TRIAGE.FORBIDDEN'));
  if (!choice) return asReply(fail('INPUT.INVALID', { option: 'button' }));
  const { action, publicId, arg } = choice;
  if (action === 'link') {
    const found = await findReport(ctx, publicId);
    if (!found.ok) return asReply(found);
    if (!arg || !ctx.deps.dataset().stations.has(arg)) return asReply(fail('INPUT.INVALID', { option: 'button' }));
    return asReply(await patch(ctx, found.value, { stationId: arg }, 'report.linked', { from: found.value.stationId, to: arg }));
  }
  return asReply(await triage({ action, args: [publicId, arg].filter(Boolean).join(' ') }, ctx));
}
