/** The team's own settings: canned replies (`/triage snippet`) and, on Telegram, its members (`/triage role`). */
import type { CoreContext, TriageRole } from '../context.ts';
import type { CoreError } from '../errors.ts';
import { t } from '../i18n/catalog.ts';
import { ok, type Result } from '../result.ts';
import type { Reply } from '../reply.ts';
import { pseudonym } from '../crypto/crypto.ts';
import { capabilitiesOf } from '../capabilities.ts';
import { memberTag } from './triage.rules.ts';
import { deps, fail, FreeText, privateReply } from './triage.common.ts';

/** `/triage snippet add <name> <en> | <zh-Hans> | <zh-Hant>`, `snippet list`, `snippet remove <name>`. */
export async function snippet(ctx: CoreContext, args: string[], rest: string): Promise<Result<Reply, CoreError>> {
  const store = deps(ctx).snippets;
  if (!store) throw new Error('snippets are not configured');
  const l = ctx.actor.locale;
  const [verb, name] = [args[0]?.toLowerCase(), args[1]?.toLowerCase() ?? ''];
  if (verb === 'list') {
    const all = await store.list();
    const lines = all.map((s) => ({ text: `#${s.slug} — ${s.text[l].slice(0, 80)}` }));
    return ok(
      privateReply([
        {
          type: 'item',
          title: t(l, 'triage.snippets_title', { count: all.length }),
          lines: lines.length ? lines : [{ text: t(l, 'triage.snippets_none') }],
        },
      ]),
    );
  }
  if (!/^[a-z0-9-]{1,32}$/.test(name)) return fail('TRIAGE.SNIPPET_USAGE');
  if (verb === 'remove') {
    if (!(await store.remove(name, ctx.actor.id))) return fail('TRIAGE.SNIPPET_UNKNOWN', { name });
    return ok(privateReply([{ type: 'text', text: t(l, 'triage.snippet_removed', { name }) }]));
  }
  if (verb !== 'add') return fail('TRIAGE.SNIPPET_USAGE');
  // Every language, or none: a reporter must never get a reply in a language they did not choose.
  const parts = rest
    .replace(/^\S+\s*/, '')
    .split('|')
    .map((p) => FreeText(1500).safeParse(p.trim()));
  if (parts.length !== 3 || parts.some((p) => !p.success)) return fail('TRIAGE.SNIPPET_USAGE');
  const [en, hans, hant] = parts.map((p) => p.data as string);
  await store.put({ slug: name, text: { en: en!, 'zh-Hans': hans!, 'zh-Hant': hant! } }, ctx.actor.id);
  return ok(privateReply([{ type: 'text', text: t(l, 'triage.snippet_saved', { name }) }]));
}

/**
 * `/triage role add <user id> reviewer|lead`, `role remove <user id>`, `role list`: the team on
 * Telegram changes without a restart (the environment's lists are the initial set). On Discord
 * the server's roles decide, and the console has one person.
 */
export async function role(ctx: CoreContext, args: string[]): Promise<Result<Reply, CoreError>> {
  const team = deps(ctx).team;
  const l = ctx.actor.locale;
  if (!team || !capabilitiesOf(ctx).teamRolesByCommand) return fail('TRIAGE.ROLE_ELSEWHERE', { platform: ctx.actor.platform });
  const [verb, id, to] = [args[0]?.toLowerCase(), args[1] ?? '', args[2]?.toLowerCase()];
  if (verb === 'list') {
    const rows = await team.list(ctx.actor.platform);
    const lines = rows.map((m) => ({ text: `${memberTag(m.memberHash)} · ${m.role}` }));
    return ok(
      privateReply([
        { type: 'item', title: t(l, 'triage.role_title'), lines: lines.length ? lines : [{ text: t(l, 'triage.role_none') }] },
      ]),
    );
  }
  if (!/^\d{1,20}$/.test(id) || !((verb === 'add' && (to === 'reviewer' || to === 'lead')) || verb === 'remove'))
    return fail('TRIAGE.ROLE_USAGE');
  const hash = pseudonym(deps(ctx).keyring, ctx.actor.platform, id);
  // A lead cannot lock the team out by removing themself.
  if (hash === ctx.actor.id) return fail('TRIAGE.ROLE_SELF');
  const next = verb === 'remove' ? 'removed' : (to as TriageRole);
  await team.set(ctx.actor.platform, hash, next, ctx.actor.id);
  return ok(privateReply([{ type: 'text', text: t(l, 'triage.role_set', { member: memberTag(hash), role: next }) }]));
}
