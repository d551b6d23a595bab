/** `/triage block`, `unblock`, `blocks`: the person behind a report may not submit for a while (the reason sealed). */
import type { CoreContext } from '../context.ts';
import type { CoreError } from '../errors.ts';
import { t } from '../i18n/catalog.ts';
import { ok, type Result } from '../result.ts';
import type { Reply } from '../reply.ts';
import { open, seal } from '../crypto/crypto.ts';
import { deps, fail, findReport, FreeText, PublicId, privateReply } from './triage.common.ts';

/** "30m", "12h", "7d" (at most a year) in milliseconds, or null. */
export function parseDuration(s: string | undefined): number | null {
  const m = /^(\d{1,4})([mhd])$/i.exec(s ?? '');
  if (!m) return null;
  const ms = Number(m[1]) * { m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2]!.toLowerCase() as 'm' | 'h' | 'd'];
  return ms >= 60_000 && ms <= 366 * 86_400_000 ? ms : null;
}

const aadBlock = (publicId: string) => `block:${publicId}`;

/** `/triage block <R-ID> <duration> [reason]`: the person behind the report may not submit until then. */
export async function block(ctx: CoreContext, args: string[], rest: string): Promise<Result<Reply, CoreError>> {
  const found = await findReport(ctx, args[0]);
  if (!found.ok) return found;
  const ms = parseDuration(args[1]);
  if (ms === null) return fail('TRIAGE.BAD_DURATION');
  const b = ctx.deps.intake?.blocks;
  if (!b) throw new Error('blocks are not configured');
  const reasonText = rest.replace(/^\S+\s*/, '');
  const text = reasonText ? FreeText(500).safeParse(reasonText) : undefined;
  if (text && !text.success) return fail('TRIAGE.BAD_TEXT', { max: 500 });
  const r = found.value;
  const until = new Date(ctx.deps.clock.now().getTime() + ms);
  const reason = text?.success ? seal(deps(ctx).keyring, Buffer.from(text.data), aadBlock(r.publicId)) : null;
  await b.block({ reporterHash: r.reporterHash, publicId: r.publicId, until, reason, actorHash: ctx.actor.id });
  return ok(
    privateReply([
      {
        type: 'text',
        text: t(ctx.actor.locale, 'triage.blocked', { id: r.publicId, until: until.toISOString().slice(0, 16).replace('T', ' ') }),
      },
    ]),
  );
}

/** `/triage unblock <R-ID>`: lifts a block before it ends. */
export async function unblock(ctx: CoreContext, args: string[]): Promise<Result<Reply, CoreError>> {
  const id = PublicId.safeParse(args[0] ?? '');
  if (!id.success) return fail('TRIAGE.BAD_REPORT_ID');
  if (!(await ctx.deps.intake!.blocks!.unblock(id.data, ctx.actor.id))) return fail('TRIAGE.NOT_BLOCKED', { id: id.data });
  return ok(privateReply([{ type: 'text', text: t(ctx.actor.locale, 'triage.unblocked', { id: id.data }) }]));
}

/** `/triage blocks`: the blocks in force, with their sealed reasons opened. */
export async function listBlocks(ctx: CoreContext): Promise<Result<Reply, CoreError>> {
  const l = ctx.actor.locale;
  const rows = await ctx.deps.intake!.blocks!.list(ctx.deps.clock.now());
  const ring = deps(ctx).keyring;
  const lines = rows.map((b) => {
    const reason = b.reason ? open(ring, b.reason.keyId, b.reason.data, aadBlock(b.publicId)).toString('utf8') : '—';
    return { text: t(l, 'triage.blocks_line', { id: b.publicId, until: b.until.toISOString().slice(0, 16).replace('T', ' '), reason }) };
  });
  return ok(
    privateReply([
      {
        type: 'item',
        title: t(l, 'triage.blocks_title', { count: rows.length }),
        lines: lines.length ? lines : [{ text: t(l, 'triage.blocks_none') }],
      },
    ]),
  );
}
