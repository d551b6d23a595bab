/** Messages to a reporter: `/triage ask` (into the mailbox) and `/triage contact` (relayed, with consent), snippets by #name, and the "news" nudge. */
import { randomUUID } from 'node:crypto';
import type { CoreContext } from '../context.ts';
import { coreError, type CoreError } from '../errors.ts';
import { t } from '../i18n/catalog.ts';
import { ok, err, type Result } from '../result.ts';
import type { Reply } from '../reply.ts';
import { openForReport, sealForReport } from '../crypto/envelope.ts';
import { messageBinding, routeBinding } from '../intake/sealing.ts';
import type { TriageReport } from './triage.ports.ts';
import { deps, fail, findReport, FreeText, payloadOf, privateReply } from './triage.common.ts';

/** Writes a team message into the report's mailbox (sealed, audited); false without a mailbox. */
export async function toMailbox(ctx: CoreContext, r: TriageReport, text: string): Promise<boolean> {
  const mb = ctx.deps.intake?.mailbox;
  if (!mb) return false;
  const id = randomUUID();
  const sealed = sealForReport(deps(ctx).keyring, r.dataKey, messageBinding(r.id, id), Buffer.from(text));
  await mb.addFromTeam({ id, reportId: r.id, publicId: r.publicId, sealed, actorHash: ctx.actor.id });
  return true;
}

/**
 * "There is news on one of your reports": only to a reporter who asked for it, only to their
 * private chat, never the content or the status. A failure (they blocked the bot) changes nothing.
 */
export async function tellNews(ctx: CoreContext, r: TriageReport): Promise<void> {
  const route = payloadOf(ctx, r).news;
  const relay = deps(ctx).relays.get(r.platform);
  if (!route || !relay) return;
  const locale = (await ctx.deps.preferences.getLocale(r.reporterHash)) ?? 'en';
  await relay(route, t(locale, 'mailbox.news')).catch((e: unknown) =>
    ctx.deps.log.warn({ err: { message: (e as Error).message } }, 'news notice not delivered'),
  );
}

/** A team message: typed, or "#name" for a snippet, taken in the reporter's language. */
export async function messageText(ctx: CoreContext, r: TriageReport, rest: string): Promise<Result<string, CoreError>> {
  const slug = /^#([a-z0-9-]{1,32})$/.exec(rest.trim())?.[1];
  if (slug) {
    const s = await deps(ctx).snippets?.get(slug);
    if (!s) return err(coreError('TRIAGE.SNIPPET_UNKNOWN', { name: slug }));
    return ok(s.text[(await ctx.deps.preferences.getLocale(r.reporterHash)) ?? 'en']);
  }
  const text = FreeText(1500).safeParse(rest);
  return text.success ? ok(text.data) : err(coreError('TRIAGE.BAD_TEXT', { max: 1500 }));
}

/** `/triage ask <R-ID> <text>`: a question in the mailbox, whether or not push contact was allowed. */
export async function ask(ctx: CoreContext, args: string[], rest: string): Promise<Result<Reply, CoreError>> {
  const found = await findReport(ctx, args[0]);
  if (!found.ok) return found;
  const text = await messageText(ctx, found.value, rest);
  if (!text.ok) return text;
  if (!(await toMailbox(ctx, found.value, text.value))) return fail('TRIAGE.RELAY_UNAVAILABLE', { platform: found.value.platform });
  await tellNews(ctx, found.value);
  return ok(privateReply([{ type: 'text', text: t(ctx.actor.locale, 'triage.asked', { id: found.value.publicId }) }]));
}

/** `/triage contact <R-ID> <text>`: relayed to the reporter's private chat, only with their consent. */
export async function contact(ctx: CoreContext, args: string[], rest: string): Promise<Result<Reply, CoreError>> {
  const found = await findReport(ctx, args[0]);
  if (!found.ok) return found;
  const r = found.value;
  if (!r.consentContact) return fail('TRIAGE.NO_CONTACT_CONSENT', { id: r.publicId });
  const resolved = await messageText(ctx, r, rest);
  if (!resolved.ok) return resolved;
  const text = { data: resolved.value };
  const relay = deps(ctx).relays.get(r.platform);
  if (!r.route || !relay) return fail('TRIAGE.RELAY_UNAVAILABLE', { platform: r.platform });
  const route = openForReport(deps(ctx).keyring, r.dataKey, routeBinding(r.id), r.route).toString('utf8');
  // The message stays in the mailbox too: the reporter reads it and answers there.
  await toMailbox(ctx, r, text.data);
  const locale = (await ctx.deps.preferences.getLocale(r.reporterHash)) ?? 'en';
  // A reporter who blocked the bot cannot be reached; the triager is told so, not given the generic apology.
  if ((await relay(route, t(locale, 'triage.relay_message', { id: r.publicId, text: text.data }))) === 'REPORTER_UNREACHABLE')
    return fail('TRIAGE.REPORTER_UNREACHABLE', { id: r.publicId });
  await deps(ctx).store.audit({ actorHash: ctx.actor.id, action: 'report.contacted', reportRef: r.publicId });
  return ok(privateReply([{ type: 'text', text: t(ctx.actor.locale, 'triage.contacted', { id: r.publicId }) }]));
}
