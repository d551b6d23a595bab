/**
 * The triage team's workflow: queue, view (audited: reading is an action), claim/assign, status
 * (allowed transitions only), severity, encrypted notes, link to a station, duplicates, station
 * suggestions (only with a source and quote), consented contact relayed through the reporter's
 * platform, clusters, exports by audience (see export.ts), anonymised versions, and the audit log.
 *
 * Every entry point re-checks membership: hiding a command is not authorizing it.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { CoreContext, TriageRole } from '../context.ts';
import { coreError, errorMessage, type CoreError, type ErrorCode } from '../errors.ts';
import { open, pseudonym, seal } from '../crypto/crypto.ts';
import { openForReport, openJsonForReport, sealForReport } from '../crypto/envelope.ts';
import { evidenceBinding, messageBinding, noteBinding, payloadBinding, routeBinding } from '../intake/sealing.ts';
import { t, type MessageKey } from '../i18n/catalog.ts';
import type { Locale } from '../i18n/locales.ts';
import { ok, err, type Result } from '../result.ts';
import type { Block, Choice, Reply } from '../reply.ts';
import { countryName } from '../dataset/format.ts';
import { normalize } from '../lookup/normalize.ts';
import { normalizeText, textIssue } from '../text-input.ts';
import type { ReportPayload } from '../intake/intake.service.ts';
import { CATEGORIES, isCategory, type Category } from '../intake/intake.taxonomy.ts';
import { detailLines } from '../intake/details.ts';
import { identifierKeys } from '../intake/identifiers.ts';
import { canTransition, isReportStatus, isSeverity, memberTag, OPEN_STATUSES, REPORT_STATUSES, SEVERITIES, TRANSITIONS, type ReportStatus, type Severity } from './triage.rules.ts';
import type { AuditRow, TriageReport, TriageStore } from './triage.ports.ts';
import { statsReply } from './stats.ts';
import type { TriageNotice } from './notifier.ts';
import { anonymisedText, exportReports, saveAnonymised } from './export.ts';

/** The prefix of triage buttons: "tr:<action>:<R-ID>[:<arg>]". */
export const TRIAGE_PREFIX = 'tr';

export const TRIAGE_ACTIONS = ['help', 'queue', 'view', 'evidence', 'claim', 'assign', 'status', 'severity', 'note', 'link', 'duplicate', 'suggest', 'ask', 'contact', 'clusters', 'stats', 'export', 'anonymise', 'snippet', 'block', 'unblock', 'blocks', 'role', 'audit'] as const;

/**
 * What only a lead may do: whatever sends report content out of the team's hands (exports,
 * messages to the reporter, the anonymised version), gives work to others, or reads everyone's trail.
 * One seized phone of a reviewer exposes the queue, not the exports or the reporters' mailboxes.
 */
export const LEAD_ACTIONS: ReadonlySet<TriageAction> = new Set(['assign', 'ask', 'contact', 'export', 'anonymise', 'snippet', 'block', 'unblock', 'blocks', 'role', 'audit']);

/** The arguments of each action, as typed after it (language-neutral syntax). */
const ACTION_ARGS: Record<TriageAction, string> = {
  help: '',
  queue: '[status…] [category] [severity] [mine|unassigned] [urgent] [pN]',
  view: '<R-ID>',
  evidence: '<R-ID>',
  claim: '<R-ID>',
  assign: '<R-ID> <member id>',
  status: '<R-ID> <status>',
  severity: '<R-ID> low|medium|high|critical',
  note: '<R-ID> <text>',
  link: '<R-ID> <place>',
  duplicate: '<R-ID> <R-ID of the original>',
  suggest: '<station id|new> | <change> | <source id> | <quote> [| R-ID]',
  ask: '<R-ID> <text|#snippet>',
  contact: '<R-ID> <text|#snippet>',
  snippet: 'add <name> <English> | <简体> | <繁體> · list · remove <name>',
  clusters: '',
  stats: '',
  export: 'ngo|law [status…]',
  anonymise: '<R-ID> <text>',
  block: '<R-ID> <30m|12h|7d> [reason]',
  unblock: '<R-ID>',
  blocks: '',
  role: 'add <user id> reviewer|lead · remove <user id> · list',
  audit: '[R-ID]',
};

/** The queue's word filters: my reports, nobody's, only the urgent ones. */
const QUEUE_FLAGS = ['mine', 'unassigned', 'urgent'] as const;

/** Whether the actor's role allows the action. */
export const mayDo = (ctx: CoreContext, a: TriageAction) => !LEAD_ACTIONS.has(a) || ctx.actor.role !== 'reviewer';
export type TriageAction = (typeof TRIAGE_ACTIONS)[number];

const PAGE = 10;
const PublicId = z
  .string()
  .trim()
  .regex(/^r-[0-9a-z]{6}$/i)
  .transform((s) => s.toUpperCase());
// The same rules as a reporter's text: NFC, no invisible characters, visible length.
const FreeText = (max: number) =>
  z
    .string()
    .transform((s) => normalizeText(s, true))
    .refine((s) => textIssue(s, 1, max) === null);

function deps(ctx: CoreContext) {
  const d = ctx.deps.triage;
  const k = ctx.deps.intake?.keyring;
  if (!d || !k) throw new Error('triage dependencies are not configured');
  return { ...d, keyring: k };
}

const privateReply = (blocks: Block[], extra: Partial<Reply> = {}): Reply => ({ private: true, kind: 'answer', blocks, citations: [], ...extra });
/** Marks a reply holding decrypted content for deletion after the configured time (0: kept). */
const decrypted = (ctx: CoreContext): Partial<Reply> => {
  const s = ctx.deps.triage?.exports.deleteDecryptedAfterSeconds ?? 0;
  return s > 0 ? { deleteAfterSeconds: s } : {};
};
const fail = (code: ErrorCode, params?: Record<string, string | number>): Result<Reply, CoreError> => err(coreError(code, params));

function who(hash: string | null, ctx: CoreContext): string {
  if (!hash) return '—';
  return hash === ctx.actor.id ? t(ctx.actor.locale, 'triage.you') : memberTag(hash);
}

function statusLabel(l: Locale, s: ReportStatus) {
  return t(l, `report_status.${s}`);
}

function categoryLabel(l: Locale, c: Category) {
  return t(l, `category.${c}`);
}

function severityLabel(l: Locale, s: Severity | null) {
  return s ? t(l, `severity.${s}`) : t(l, 'severity.unset');
}

function ageOf(ctx: CoreContext, d: Date): string {
  const h = Math.max(0, Math.floor((ctx.deps.clock.now().getTime() - d.getTime()) / 3_600_000));
  return h < 48 ? t(ctx.actor.locale, 'triage.age_hours', { n: h }) : t(ctx.actor.locale, 'triage.age_days', { n: Math.floor(h / 24) });
}

function summaryLine(ctx: CoreContext, r: TriageReport): string {
  const l = ctx.actor.locale;
  // A person in danger is seen first: the queue lists them first, with the mark.
  return (r.urgent ? `${t(l, 'triage.urgent_mark')} ` : '') + t(l, 'triage.queue_line', {
    id: r.publicId,
    status: statusLabel(l, r.status),
    category: categoryLabel(l, r.category),
    severity: severityLabel(l, r.severity),
    age: ageOf(ctx, r.createdAt),
    assignee: who(r.assigneeHash, ctx),
  });
}

async function findReport(ctx: CoreContext, raw: string | undefined): Promise<Result<TriageReport, CoreError>> {
  const id = PublicId.safeParse(raw ?? '');
  if (!id.success) return err(coreError('TRIAGE.BAD_REPORT_ID'));
  const r = await deps(ctx).store.get(id.data);
  return r ? ok(r) : err(coreError('TRIAGE.REPORT_NOT_FOUND', { id: id.data }));
}

function payloadOf(ctx: CoreContext, r: TriageReport): ReportPayload {
  const { keyring } = deps(ctx);
  return openJsonForReport<ReportPayload>(keyring, r.dataKey, payloadBinding(r.id, r), r.payload);
}

const btn = (action: string, id: string, arg?: string) => [TRIAGE_PREFIX, action, id, ...(arg ? [arg] : [])].join(':');

function actionChoices(ctx: CoreContext, r: TriageReport): Choice[] {
  const l = ctx.actor.locale;
  const choices: Choice[] = [{ id: btn('view', r.publicId), label: t(l, 'triage.btn_view') }];
  if (r.assigneeHash !== ctx.actor.id) choices.push({ id: btn('claim', r.publicId), label: t(l, 'triage.btn_claim') });
  for (const next of TRANSITIONS[r.status]) choices.push({ id: btn('status', r.publicId, next), label: t(l, 'triage.btn_status', { status: statusLabel(l, next) }) });
  return choices;
}

// ─── actions ────────────────────────────────────────────────────────────────

async function queue(ctx: CoreContext, args: string[]): Promise<Result<Reply, CoreError>> {
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
  const f = { statuses: statuses.length ? statuses : [...OPEN_STATUSES], category, severity, assignee, urgent: flags.includes('urgent'), skip: (page - 1) * PAGE, take: PAGE };
  const { rows, total } = await deps(ctx).store.queue(f);
  const pages = Math.max(1, Math.ceil(total / PAGE));
  const blocks: Block[] = [{ type: 'title', text: t(l, total === 1 ? 'triage.queue_title_one' : 'triage.queue_title', { total, page: Math.min(page, pages), pages }) }];
  // Past the last page: say where the queue ends rather than "page 2 of 1".
  if (page > pages) blocks.push({ type: 'text', text: t(l, pages === 1 ? 'triage.queue_past_end_one' : 'triage.queue_past_end', { page, pages }) });
  else if (!rows.length) blocks.push({ type: 'text', text: t(l, 'triage.queue_empty') });
  else blocks.push({ type: 'item', title: t(l, 'triage.queue_hint'), lines: rows.map((r) => ({ text: summaryLine(ctx, r) })) });
  const choices: Choice[] = rows.map((r) => ({ id: btn('view', r.publicId), label: r.publicId }));
  return ok(privateReply(blocks, { choices }));
}

async function view(ctx: CoreContext, args: string[]): Promise<Result<Reply, CoreError>> {
  const found = await findReport(ctx, args[0]);
  if (!found.ok) return found;
  const r = found.value;
  const l = ctx.actor.locale;
  const d = deps(ctx);
  const p = payloadOf(ctx, r);
  await d.store.audit({ actorHash: ctx.actor.id, action: 'report.viewed', reportRef: r.publicId });
  const ds = ctx.deps.dataset();
  const station = r.stationId ? ds.stations.get(r.stationId) : undefined;
  const when = !p.when || p.when.kind === 'undisclosed' ? t(l, 'intake.when_undisclosed') : p.when.value;
  const [evidence, notes, dups, anonymised] = await Promise.all([d.store.evidence(r.id, false), d.store.notes(r.id), d.store.duplicatesOf(r.id), anonymisedText(ctx, r)]);
  const lines = [
    { text: `${t(l, 'intake.f.category')}: ${categoryLabel(l, r.category)}` },
    { text: t(l, 'triage.view_status', { status: statusLabel(l, r.status), severity: severityLabel(l, r.severity), assignee: who(r.assigneeHash, ctx) }) },
    { text: `${t(l, 'intake.f.when')}: ${when}` },
    { text: `${t(l, 'intake.f.where')}: ${p.where ?? '—'}` },
    { text: t(l, 'triage.view_station', { station: station ? `${station.name[l]} (${countryName(ds, station.countryCode, l)})` : '—' }) },
    { text: `${t(l, 'intake.f.what')}: ${p.what}` },
    ...detailLines(l, p.details),
    { text: anonymised ? t(l, 'triage.view_anonymised', { text: anonymised }) : t(l, 'triage.view_no_anonymised', { id: r.publicId }) },
    { text: `${t(l, 'intake.f.contact')}: ${r.consentContact ? (p.contact ?? t(l, 'triage.contact_via_bot')) : t(l, 'triage.contact_not_consented')}` },
    { text: t(l, 'triage.view_consents', { contact: t(l, r.consentContact ? 'intake.yes' : 'intake.no'), ngo: t(l, r.consentShareNgo ? 'intake.yes' : 'intake.no'), law: t(l, r.consentShareLaw ? 'intake.yes' : 'intake.no') }) },
    { text: t(l, 'triage.view_submitted', { date: r.createdAt.toISOString().slice(0, 16).replace('T', ' '), platform: r.platform }) },
  ];
  if (r.duplicateOf || dups.length) lines.push({ text: t(l, 'triage.view_duplicates', { ids: [r.duplicateOf, ...dups].filter(Boolean).join(', ') }) });
  if (evidence.length) lines.push({ text: t(l, evidence.length === 1 ? 'triage.view_evidence_one' : 'triage.view_evidence', { count: evidence.length, id: r.publicId }) });
  const blocks: Block[] = [{ type: 'title', text: t(l, 'triage.view_title', { id: r.publicId }) }, { type: 'item', title: t(l, 'triage.view_heading'), lines }];
  if (notes.length)
    blocks.push({
      type: 'item',
      title: t(l, 'triage.notes_title'),
      lines: notes.map((n) => ({ text: `${n.createdAt.toISOString().slice(0, 16).replace('T', ' ')} ${who(n.authorHash, ctx)}: ${openForReport(d.keyring, r.dataKey, noteBinding(r.id, n.id), n.sealed).toString('utf8')}` })),
    });
  const thread = await mailboxLines(ctx, r);
  if (thread.length) blocks.push({ type: 'item', title: t(l, 'triage.view_thread'), lines: thread });
  return ok(privateReply(blocks, { choices: actionChoices(ctx, r), ...decrypted(ctx) }));
}

/** The report's mailbox thread, both ways, for the team. */
async function mailboxLines(ctx: CoreContext, r: TriageReport): Promise<{ text: string }[]> {
  const mb = ctx.deps.intake?.mailbox;
  if (!mb) return [];
  const l = ctx.actor.locale;
  const ring = deps(ctx).keyring;
  return (await mb.messages(r.id)).map((m) => ({
    text: t(l, m.fromTeam ? 'triage.view_from_team' : 'triage.view_from_reporter', { date: m.createdAt.toISOString().slice(0, 10), text: openForReport(ring, r.dataKey, messageBinding(r.id, m.id), m.sealed).toString('utf8') }),
  }));
}

/** Writes a team message into the report's mailbox (sealed, audited); false without a mailbox. */
async function toMailbox(ctx: CoreContext, r: TriageReport, text: string): Promise<boolean> {
  const mb = ctx.deps.intake?.mailbox;
  if (!mb) return false;
  const id = randomUUID();
  const sealed = sealForReport(deps(ctx).keyring, r.dataKey, messageBinding(r.id, id), Buffer.from(text));
  await mb.addFromTeam({ id, reportId: r.id, publicId: r.publicId, sealed, actorHash: ctx.actor.id });
  return true;
}

/** "30m", "12h", "7d" (at most a year) in milliseconds, or null. */
export function parseDuration(s: string | undefined): number | null {
  const m = /^(\d{1,4})([mhd])$/i.exec(s ?? '');
  if (!m) return null;
  const ms = Number(m[1]) * { m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2]!.toLowerCase() as 'm' | 'h' | 'd'];
  return ms >= 60_000 && ms <= 366 * 86_400_000 ? ms : null;
}

const aadBlock = (publicId: string) => `block:${publicId}`;

/** `/triage block <R-ID> <duration> [reason]`: the person behind the report may not submit until then. */
async function block(ctx: CoreContext, args: string[], rest: string): Promise<Result<Reply, CoreError>> {
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
  return ok(privateReply([{ type: 'text', text: t(ctx.actor.locale, 'triage.blocked', { id: r.publicId, until: until.toISOString().slice(0, 16).replace('T', ' ') }) }]));
}

async function unblock(ctx: CoreContext, args: string[]): Promise<Result<Reply, CoreError>> {
  const id = PublicId.safeParse(args[0] ?? '');
  if (!id.success) return fail('TRIAGE.BAD_REPORT_ID');
  if (!(await ctx.deps.intake!.blocks!.unblock(id.data, ctx.actor.id))) return fail('TRIAGE.NOT_BLOCKED', { id: id.data });
  return ok(privateReply([{ type: 'text', text: t(ctx.actor.locale, 'triage.unblocked', { id: id.data }) }]));
}

async function listBlocks(ctx: CoreContext): Promise<Result<Reply, CoreError>> {
  const l = ctx.actor.locale;
  const rows = await ctx.deps.intake!.blocks!.list(ctx.deps.clock.now());
  const ring = deps(ctx).keyring;
  const lines = rows.map((b) => {
    const reason = b.reason ? open(ring, b.reason.keyId, b.reason.data, aadBlock(b.publicId)).toString('utf8') : '—';
    return { text: t(l, 'triage.blocks_line', { id: b.publicId, until: b.until.toISOString().slice(0, 16).replace('T', ' '), reason }) };
  });
  return ok(privateReply([{ type: 'item', title: t(l, 'triage.blocks_title', { count: rows.length }), lines: lines.length ? lines : [{ text: t(l, 'triage.blocks_none') }] }]));
}

/**
 * "There is news on one of your reports": only to a reporter who asked for it, only to their
 * private chat, never the content or the status. A failure (they blocked the bot) changes nothing.
 */
async function tellNews(ctx: CoreContext, r: TriageReport): Promise<void> {
  const route = payloadOf(ctx, r).news;
  const relay = deps(ctx).relays.get(r.platform);
  if (!route || !relay) return;
  const locale = (await ctx.deps.preferences.getLocale(r.reporterHash)) ?? 'en';
  await relay(route, t(locale, 'mailbox.news')).catch((e: unknown) => ctx.deps.log.warn({ err: { message: (e as Error).message } }, 'news notice not delivered'));
}

/** A team message: typed, or "#name" for a snippet, taken in the reporter's language. */
async function messageText(ctx: CoreContext, r: TriageReport, rest: string): Promise<Result<string, CoreError>> {
  const slug = /^#([a-z0-9-]{1,32})$/.exec(rest.trim())?.[1];
  if (slug) {
    const s = await deps(ctx).snippets?.get(slug);
    if (!s) return err(coreError('TRIAGE.SNIPPET_UNKNOWN', { name: slug }));
    return ok(s.text[(await ctx.deps.preferences.getLocale(r.reporterHash)) ?? 'en']);
  }
  const text = FreeText(1500).safeParse(rest);
  return text.success ? ok(text.data) : err(coreError('TRIAGE.BAD_TEXT', { max: 1500 }));
}

/** `/triage snippet add <name> <en> | <zh-Hans> | <zh-Hant>`, `snippet list`, `snippet remove <name>`. */
async function snippet(ctx: CoreContext, args: string[], rest: string): Promise<Result<Reply, CoreError>> {
  const store = deps(ctx).snippets;
  if (!store) throw new Error('snippets are not configured');
  const l = ctx.actor.locale;
  const [verb, name] = [args[0]?.toLowerCase(), args[1]?.toLowerCase() ?? ''];
  if (verb === 'list') {
    const all = await store.list();
    const lines = all.map((s) => ({ text: `#${s.slug} — ${s.text[l].slice(0, 80)}` }));
    return ok(privateReply([{ type: 'item', title: t(l, 'triage.snippets_title', { count: all.length }), lines: lines.length ? lines : [{ text: t(l, 'triage.snippets_none') }] }]));
  }
  if (!/^[a-z0-9-]{1,32}$/.test(name)) return fail('TRIAGE.SNIPPET_USAGE');
  if (verb === 'remove') {
    if (!(await store.remove(name, ctx.actor.id))) return fail('TRIAGE.SNIPPET_UNKNOWN', { name });
    return ok(privateReply([{ type: 'text', text: t(l, 'triage.snippet_removed', { name }) }]));
  }
  if (verb !== 'add') return fail('TRIAGE.SNIPPET_USAGE');
  // Every language, or none: a reporter must never get a reply in a language they did not choose.
  const parts = rest.replace(/^\S+\s*/, '').split('|').map((p) => FreeText(1500).safeParse(p.trim()));
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
async function role(ctx: CoreContext, args: string[]): Promise<Result<Reply, CoreError>> {
  const team = deps(ctx).team;
  const l = ctx.actor.locale;
  if (!team || ctx.actor.platform !== 'telegram') return fail('TRIAGE.ROLE_ELSEWHERE', { platform: ctx.actor.platform });
  const [verb, id, to] = [args[0]?.toLowerCase(), args[1] ?? '', args[2]?.toLowerCase()];
  if (verb === 'list') {
    const rows = await team.list('telegram');
    const lines = rows.map((m) => ({ text: `${memberTag(m.memberHash)} · ${m.role}` }));
    return ok(privateReply([{ type: 'item', title: t(l, 'triage.role_title'), lines: lines.length ? lines : [{ text: t(l, 'triage.role_none') }] }]));
  }
  if (!/^\d{1,20}$/.test(id) || !((verb === 'add' && (to === 'reviewer' || to === 'lead')) || verb === 'remove')) return fail('TRIAGE.ROLE_USAGE');
  const hash = pseudonym(deps(ctx).keyring, 'telegram', id);
  // A lead cannot lock the team out by removing themself.
  if (hash === ctx.actor.id) return fail('TRIAGE.ROLE_SELF');
  const next = verb === 'remove' ? 'removed' : (to as TriageRole);
  await team.set('telegram', hash, next, ctx.actor.id);
  return ok(privateReply([{ type: 'text', text: t(l, 'triage.role_set', { member: memberTag(hash), role: next }) }]));
}

/** `/triage ask <R-ID> <text>`: a question in the mailbox, whether or not push contact was allowed. */
async function ask(ctx: CoreContext, args: string[], rest: string): Promise<Result<Reply, CoreError>> {
  const found = await findReport(ctx, args[0]);
  if (!found.ok) return found;
  const text = await messageText(ctx, found.value, rest);
  if (!text.ok) return text;
  if (!(await toMailbox(ctx, found.value, text.value))) return fail('TRIAGE.RELAY_UNAVAILABLE', { platform: found.value.platform });
  await tellNews(ctx, found.value);
  return ok(privateReply([{ type: 'text', text: t(ctx.actor.locale, 'triage.asked', { id: found.value.publicId }) }]));
}

async function evidenceFiles(ctx: CoreContext, args: string[]): Promise<Result<Reply, CoreError>> {
  const found = await findReport(ctx, args[0]);
  if (!found.ok) return found;
  const r = found.value;
  const d = deps(ctx);
  const rows = await d.store.evidence(r.id, true);
  await d.store.audit({ actorHash: ctx.actor.id, action: 'evidence.viewed', reportRef: r.publicId, details: { files: rows.length } });
  const files = rows.map((e, i) => ({ name: `${r.publicId}-${i + 1}.${e.mime.split('/')[1]}`, mime: e.mime, bytes: new Uint8Array(openForReport(d.keyring, r.dataKey, evidenceBinding(r.id, e.id), e.sealed!)) }));
  const l = ctx.actor.locale;
  return ok(privateReply([{ type: 'text', text: t(l, files.length === 1 ? 'triage.evidence_sent_one' : 'triage.evidence_sent', { count: files.length, id: r.publicId }) }, ...rows.map((e, i) => ({ type: 'notice' as const, text: `${files[i]!.name}: sha256 ${e.sha256Stored} (original ${e.sha256Original})` }))], { files, ...decrypted(ctx) }));
}

async function patch(ctx: CoreContext, r: TriageReport, p: Parameters<TriageStore['update']>[1], action: string, details?: Record<string, string | number | boolean | null>): Promise<Result<Reply, CoreError>> {
  await deps(ctx).store.update(r.id, p, { actorHash: ctx.actor.id, action, reportRef: r.publicId, ...(details ? { details } : {}) });
  const updated = (await deps(ctx).store.get(r.publicId))!;
  return ok(privateReply([{ type: 'text', text: t(ctx.actor.locale, 'triage.updated', { id: r.publicId }) }, { type: 'notice', text: summaryLine(ctx, updated) }], { choices: actionChoices(ctx, updated) }));
}

async function claim(ctx: CoreContext, args: string[]): Promise<Result<Reply, CoreError>> {
  const found = await findReport(ctx, args[0]);
  if (!found.ok) return found;
  return patch(ctx, found.value, { assigneeHash: ctx.actor.id }, 'report.claimed', { from: found.value.assigneeHash ? memberTag(found.value.assigneeHash) : null, to: memberTag(ctx.actor.id) });
}

async function assign(ctx: CoreContext, args: string[]): Promise<Result<Reply, CoreError>> {
  const found = await findReport(ctx, args[0]);
  if (!found.ok) return found;
  const member = z.string().regex(/^\d{1,20}$/).safeParse(args[1] ?? '');
  if (!member.success) return fail('TRIAGE.BAD_MEMBER');
  const { keyring } = deps(ctx);
  const to = pseudonym(keyring, ctx.actor.platform, member.data);
  return patch(ctx, found.value, { assigneeHash: to }, 'report.assigned', { from: found.value.assigneeHash ? memberTag(found.value.assigneeHash) : null, to: memberTag(to) });
}

async function setStatus(ctx: CoreContext, args: string[]): Promise<Result<Reply, CoreError>> {
  const found = await findReport(ctx, args[0]);
  if (!found.ok) return found;
  const r = found.value;
  const to = args[1] ?? '';
  if (!isReportStatus(to)) return fail('TRIAGE.BAD_STATUS', { statuses: REPORT_STATUSES.join(', ') });
  if (!canTransition(r.status, to)) return fail('TRIAGE.BAD_TRANSITION', { from: r.status, to, allowed: TRANSITIONS[r.status].join(', ') || '—' });
  const done = await patch(ctx, r, { status: to, closedAt: to === 'closed' ? ctx.deps.clock.now() : null }, 'report.status', { from: r.status, to });
  await tellNews(ctx, r);
  return done;
}

async function setSeverity(ctx: CoreContext, args: string[]): Promise<Result<Reply, CoreError>> {
  const found = await findReport(ctx, args[0]);
  if (!found.ok) return found;
  const s = args[1] ?? '';
  if (!isSeverity(s)) return fail('TRIAGE.BAD_SEVERITY', { severities: SEVERITIES.join(', ') });
  return patch(ctx, found.value, { severity: s }, 'report.severity', { from: found.value.severity, to: s });
}

async function note(ctx: CoreContext, args: string[], rest: string): Promise<Result<Reply, CoreError>> {
  const found = await findReport(ctx, args[0]);
  if (!found.ok) return found;
  const text = FreeText(2000).safeParse(rest);
  if (!text.success) return fail('TRIAGE.BAD_TEXT', { max: 2000 });
  const d = deps(ctx);
  const id = randomUUID();
  await d.store.addNote({ id, reportId: found.value.id, authorHash: ctx.actor.id, sealed: sealForReport(d.keyring, found.value.dataKey, noteBinding(found.value.id, id), Buffer.from(text.data)) }, { actorHash: ctx.actor.id, action: 'report.noted', reportRef: found.value.publicId });
  return ok(privateReply([{ type: 'text', text: t(ctx.actor.locale, 'triage.noted', { id: found.value.publicId }) }]));
}

async function link(ctx: CoreContext, args: string[], rest: string): Promise<Result<Reply, CoreError>> {
  const found = await findReport(ctx, args[0]);
  if (!found.ok) return found;
  const view = ctx.deps.dataset();
  const q = rest.trim();
  if (!q) return fail('INPUT.EMPTY', { option: 'station' });
  const direct = view.stations.get(q);
  const hits = direct ? [direct] : view.index.search(q, 10).map((h) => h.station);
  if (!hits.length) return fail('LOOKUP.NOT_FOUND', { query: q, suggestions: view.index.suggest(q).join(', ') || '—' });
  if (hits.length > 1) {
    const l = ctx.actor.locale;
    return ok(privateReply([{ type: 'text', text: t(l, 'triage.link_pick', { id: found.value.publicId }) }], { choices: hits.slice(0, 10).map((s) => ({ id: btn('link', found.value.publicId, s.id), label: `${s.name[l]} (${countryName(view, s.countryCode, l)})` })) }));
  }
  return patch(ctx, found.value, { stationId: hits[0]!.id }, 'report.linked', { from: found.value.stationId, to: hits[0]!.id });
}

async function duplicate(ctx: CoreContext, args: string[]): Promise<Result<Reply, CoreError>> {
  const found = await findReport(ctx, args[0]);
  if (!found.ok) return found;
  const other = await findReport(ctx, args[1]);
  if (!other.ok) return other;
  if (other.value.id === found.value.id) return fail('TRIAGE.BAD_DUPLICATE');
  return patch(ctx, found.value, { duplicateOfPublicId: other.value.publicId }, 'report.duplicate', { of: other.value.publicId });
}

async function suggest(ctx: CoreContext, rest: string): Promise<Result<Reply, CoreError>> {
  // suggest <station-id|new> | <proposal> | <source-id> | <verbatim quote> [| R-ID]
  const parts = rest.split('|').map((s) => s.trim());
  const view = ctx.deps.dataset();
  const [target, proposal, sourceId, quote, reportRef] = parts;
  if (parts.length < 4 || !target || !proposal || !sourceId || !quote) return fail('TRIAGE.SUGGEST_USAGE');
  if (target !== 'new' && !view.stations.has(target)) return fail('TRIAGE.SUGGEST_UNKNOWN_STATION', { station: target });
  if (!view.sources.has(sourceId)) return fail('TRIAGE.SUGGEST_NEEDS_SOURCE', { sources: [...view.sources.keys()].join(', ') });
  if (!FreeText(1200).safeParse(quote).success || quote.length < 8 || !FreeText(2000).safeParse(proposal).success) return fail('TRIAGE.SUGGEST_USAGE');
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

async function contact(ctx: CoreContext, args: string[], rest: string): Promise<Result<Reply, CoreError>> {
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
  if ((await relay(route, t(locale, 'triage.relay_message', { id: r.publicId, text: text.data }))) === 'REPORTER_UNREACHABLE') return fail('TRIAGE.REPORTER_UNREACHABLE', { id: r.publicId });
  await deps(ctx).store.audit({ actorHash: ctx.actor.id, action: 'report.contacted', reportRef: r.publicId });
  return ok(privateReply([{ type: 'text', text: t(ctx.actor.locale, 'triage.contacted', { id: r.publicId }) }]));
}

async function clusters(ctx: CoreContext): Promise<Result<Reply, CoreError>> {
  const l = ctx.actor.locale;
  const d = deps(ctx);
  const open = await d.store.select({ statuses: [...OPEN_STATUSES] });
  await d.store.audit({ actorHash: ctx.actor.id, action: 'reports.clustered', details: { reports: open.length } });
  // Keyed groups; the label shown is the first one seen (an identifier shows only its hint).
  const groups = new Map<string, { label: string; ids: string[] }>();
  const add = (k: string, label: string, id: string) => {
    const g = groups.get(k) ?? { label, ids: [] };
    if (!g.ids.includes(id)) g.ids.push(id);
    groups.set(k, g);
  };
  const view = ctx.deps.dataset();
  for (const r of open) {
    const period = r.period ?? t(l, 'date.unknown');
    const p = payloadOf(ctx, r);
    if (r.stationId) add(`s:${r.stationId}:${period}`, `${view.stations.get(r.stationId)?.name[l] ?? r.stationId} · ${period}`, r.publicId);
    const place = p.where && !r.stationId ? normalize(p.where).split(' ').slice(0, 3).join(' ') : '';
    if (place) add(`w:${place}:${period}`, `“${place}” · ${period}`, r.publicId);
    // The same phone or account across reports, whatever the month: the same people, perhaps.
    for (const k of identifierKeys(p.details?.identifiers)) add(`${k.kind}:${k.key}`, t(l, k.kind === 'phone' ? 'triage.cluster_phone' : 'triage.cluster_account', k.kind === 'phone' ? { tail: k.hint } : { hint: k.hint }), r.publicId);
  }
  const lines = [...groups.values()].filter((g) => g.ids.length > 1).map((g) => ({ text: `${g.label}: ${g.ids.join(', ')}` }));
  return ok(privateReply([{ type: 'title', text: t(l, 'triage.clusters_title') }, lines.length ? { type: 'item', title: t(l, 'triage.clusters_hint'), lines } : { type: 'text', text: t(l, 'triage.clusters_none') }]));
}

async function anonymise(ctx: CoreContext, args: string[], rest: string): Promise<Result<Reply, CoreError>> {
  const found = await findReport(ctx, args[0]);
  if (!found.ok) return found;
  const text = FreeText(2000).safeParse(rest);
  if (!text.success) return fail('TRIAGE.BAD_TEXT', { max: 2000 });
  return ok(await saveAnonymised(ctx, found.value, text.data));
}

/** An audit entry's change, "old → new" (values are ids and labels, never content). */
function change(d: AuditRow['details']): string {
  if (!d || !('to' in d)) return '';
  return ` ${d.from ?? '—'} → ${d.to ?? '—'}`;
}

async function audit(ctx: CoreContext, args: string[]): Promise<Result<Reply, CoreError>> {
  const ref = args[0] ? PublicId.safeParse(args[0]) : undefined;
  if (ref && !ref.success) return fail('TRIAGE.BAD_REPORT_ID');
  const rows = await deps(ctx).store.auditLog({ reportRef: ref?.data, take: 50 });
  const l = ctx.actor.locale;
  return ok(
    privateReply([
      { type: 'title', text: t(l, 'triage.audit_title', { count: rows.length }) },
      rows.length
        ? { type: 'item', title: t(l, 'triage.audit_hint'), lines: rows.map((a) => ({ text: `${a.at.toISOString().slice(0, 19).replace('T', ' ')} ${a.actorHash.length === 64 ? who(a.actorHash, ctx) : a.actorHash} ${a.action}${a.reportRef ? ` ${a.reportRef}` : ''}${change(a.details)}` })) }
        : { type: 'text', text: t(l, 'triage.audit_empty') },
    ]),
  );
}

/** /triage <action> [args]: the team's single command. */
/** `/triage`, `/triage help`: every action the member's role allows, one usage line each, and the queue's filters. */
function help(ctx: CoreContext, unknown?: string): Result<Reply, CoreError> {
  const l = ctx.actor.locale;
  const allowed = TRIAGE_ACTIONS.filter((a) => a !== 'help' && mayDo(ctx, a));
  const lines = allowed.map((a) => ({ text: `/triage ${a}${ACTION_ARGS[a] ? ` ${ACTION_ARGS[a]}` : ''} — ${t(l, `triage.action.${a}`).replace(/^[a-z]+[:：]\s*/, '')}` }));
  const filters = [
    t(l, 'triage.help_statuses', { statuses: REPORT_STATUSES.map((s) => `${s} (${statusLabel(l, s)})`).join(', ') }),
    t(l, 'triage.help_categories', { categories: CATEGORIES.map((c) => `${c} (${categoryLabel(l, c)})`).join(', ') }),
    t(l, 'triage.help_severities', { severities: SEVERITIES.join(', ') }),
    t(l, 'triage.help_flags'),
  ];
  const blocks: Block[] = [];
  if (unknown !== undefined) blocks.push({ type: 'text', text: t(l, 'triage.help_unknown', { action: unknown.slice(0, 32) }) });
  blocks.push({ type: 'item', title: t(l, ctx.actor.role === 'reviewer' ? 'triage.help_title_reviewer' : 'triage.help_title_lead'), lines }, { type: 'item', title: t(l, 'triage.help_filters'), lines: filters.map((text) => ({ text })) });
  return unknown === undefined ? ok(privateReply(blocks)) : ok({ ...privateReply(blocks), kind: 'error', code: 'TRIAGE.BAD_ACTION' });
}

export async function triage(input: { action?: string | undefined; args?: string | undefined }, ctx: CoreContext): Promise<Result<Reply, CoreError>> {
  if (!ctx.actor.triage) return fail('TRIAGE.FORBIDDEN');
  const action = (input.action ?? 'help').toLowerCase();
  if (action === 'help') return help(ctx);
  if (!(TRIAGE_ACTIONS as readonly string[]).includes(action)) return help(ctx, action);
  // The role is checked here, in core, for every platform and every way in (typed, slash, button).
  if (!mayDo(ctx, action as TriageAction)) return fail('TRIAGE.LEAD_ONLY', { action });
  const done = await run(action as TriageAction, input.args ?? '', ctx);
  if (done.ok) return done;
  // A missing or wrong argument: the message, then what the action expects.
  const l = ctx.actor.locale;
  const usage = `/triage ${action}${ACTION_ARGS[action as TriageAction] ? ` ${ACTION_ARGS[action as TriageAction]}` : ''}`;
  return ok({ ...privateReply([{ type: 'text', text: errorMessage(done.error, l) }, { type: 'notice', text: t(l, 'common.usage', { usage }) }]), kind: 'error', code: done.error.code });
}

/** Runs one allowed action. */
async function run(action: TriageAction, rest: string, ctx: CoreContext): Promise<Result<Reply, CoreError>> {
  const args = rest.trim().split(/\s+/).filter(Boolean);
  const afterId = rest.trim().replace(/^\S+\s*/, '');
  switch (action as TriageAction) {
    case 'queue':
      return queue(ctx, args.map((a) => a.toLowerCase()));
    case 'view':
      return view(ctx, args);
    case 'evidence':
      return evidenceFiles(ctx, args);
    case 'claim':
      return claim(ctx, args);
    case 'assign':
      return assign(ctx, args);
    case 'status':
      return setStatus(ctx, [args[0] ?? '', (args[1] ?? '').toLowerCase()]);
    case 'severity':
      return setSeverity(ctx, [args[0] ?? '', (args[1] ?? '').toLowerCase()]);
    case 'note':
      return note(ctx, args, afterId);
    case 'link':
      return link(ctx, args, afterId);
    case 'duplicate':
      return duplicate(ctx, args);
    case 'suggest':
      return suggest(ctx, rest);
    case 'ask':
      return ask(ctx, args, afterId);
    case 'contact':
      return contact(ctx, args, afterId);
    case 'clusters':
      return clusters(ctx);
    case 'stats': {
      const all = await deps(ctx).store.select({ statuses: [...REPORT_STATUSES] });
      await deps(ctx).store.audit({ actorHash: ctx.actor.id, action: 'reports.stats', details: { reports: all.length } });
      return ok(await statsReply(ctx, all));
    }
    case 'export':
      return exportReports(ctx, args.map((a) => a.toLowerCase()), (r) => payloadOf(ctx, r));
    case 'anonymise':
      return anonymise(ctx, args, afterId);
    case 'snippet':
      return snippet(ctx, args, afterId);
    case 'role':
      return role(ctx, args);
    case 'block':
      return block(ctx, args, afterId);
    case 'unblock':
      return unblock(ctx, args);
    case 'blocks':
      return listBlocks(ctx);
    case 'audit':
      return audit(ctx, args);
    default:
      return fail('TRIAGE.BAD_ACTION', { actions: TRIAGE_ACTIONS.join(', ') });
  }
}

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

/** The notice the team sees for a new report: id, category, severity, time, and buttons. Never content. */
export function renderNotice(n: TriageNotice, locale: Locale): Reply {
  return {
    private: false,
    kind: 'answer',
    citations: [],
    blocks: [{ type: 'text', text: (n.urgent ? t(locale, 'triage.notice_urgent') + ' ' : '') + t(locale, n.kind === 'answered' ? 'triage.notice_answered' : 'triage.notice', { id: n.publicId, category: categoryLabel(locale, n.category), severity: severityLabel(locale, n.severity), time: n.at.toISOString().slice(0, 16).replace('T', ' ') + ' UTC' }) }],
    choices: [
      { id: btn('view', n.publicId), label: t(locale, 'triage.btn_view') },
      { id: btn('claim', n.publicId), label: t(locale, 'triage.btn_claim') },
      { id: btn('status', n.publicId, 'in_review'), label: t(locale, 'triage.btn_status', { status: statusLabel(locale, 'in_review') }) },
    ],
  };
}

/** Catalog keys used for the triage action choices (for command registration). */
export const TRIAGE_ACTION_LABELS: Record<TriageAction, MessageKey> = Object.fromEntries(TRIAGE_ACTIONS.map((a) => [a, `triage.action.${a}`])) as Record<TriageAction, MessageKey>;
