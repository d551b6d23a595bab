/**
 * `/triage <action> [args]`: the team's single command. Membership and role are checked here, in
 * core, for every platform and every way in (typed, slash, button): hiding is not authorizing.
 */
import type { CoreContext } from '../context.ts';
import { errorMessage, type CoreError } from '../errors.ts';
import { t } from '../i18n/catalog.ts';
import { ok, type Result } from '../result.ts';
import type { Reply } from '../reply.ts';
import { isTriageAction, mayDo, usageOf } from './triage.actions.ts';
import { fail, privateReply } from './triage.common.ts';
import { help } from './help.ts';
import { runAction } from './triage.registry.ts';

/** /triage <action> [args]: the team's single command. */
export async function triage(
  input: { action?: string | undefined; args?: string | undefined },
  ctx: CoreContext,
): Promise<Result<Reply, CoreError>> {
  if (!ctx.actor.triage) return fail('TRIAGE.FORBIDDEN');
  const action = (input.action ?? 'help').toLowerCase();
  if (action === 'help') return help(ctx);
  if (!isTriageAction(action)) return help(ctx, action);
  // The role is checked here, in core, for every platform and every way in (typed, slash, button).
  if (!mayDo(ctx, action)) return fail('TRIAGE.LEAD_ONLY', { action });
  const done = await runAction(action, input.args ?? '', ctx);
  if (done.ok) return done;
  // A missing or wrong argument: the message, then what the action expects.
  const l = ctx.actor.locale;
  return ok({
    ...privateReply([
      { type: 'text', text: errorMessage(done.error, l) },
      { type: 'notice', text: t(l, 'common.usage', { usage: usageOf(action) }) },
    ]),
    kind: 'error',
    code: done.error.code,
  });
}
