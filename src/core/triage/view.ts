/** `/triage view` and `/triage evidence`: a report opened for the team (reading is audited), its notes, mailbox thread and files. */
import type { CoreContext } from '../context.ts';
import { t } from '../i18n/catalog.ts';
import { ok, type Result } from '../result.ts';
import type { CoreError } from '../errors.ts';
import type { Block, Reply } from '../reply.ts';
import { openForReport } from '../crypto/envelope.ts';
import { evidenceBinding, messageBinding, noteBinding } from '../intake/sealing.ts';
import { countryName } from '../dataset/format.ts';
import { detailLines } from '../intake/details.ts';
import type { TriageReport } from './triage.ports.ts';
import { anonymisedText } from './export.ts';
import { decrypted, deps, findReport, payloadOf, privateReply } from './triage.common.ts';
import { actionChoices, categoryLabel, severityLabel, statusLabel, who } from './format.ts';

/** `/triage view <R-ID>`: the whole report, decrypted for the member (audited). */
export async function view(ctx: CoreContext, args: string[]): Promise<Result<Reply, CoreError>> {
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
  const [evidence, notes, dups, anonymised] = await Promise.all([
    d.store.evidence(r.id, false),
    d.store.notes(r.id),
    d.store.duplicatesOf(r.id),
    anonymisedText(ctx, r),
  ]);
  const lines = [
    { text: `${t(l, 'intake.f.category')}: ${categoryLabel(l, r.category)}` },
    {
      text: t(l, 'triage.view_status', {
        status: statusLabel(l, r.status),
        severity: severityLabel(l, r.severity),
        assignee: who(r.assigneeHash, ctx),
      }),
    },
    { text: `${t(l, 'intake.f.when')}: ${when}` },
    { text: `${t(l, 'intake.f.where')}: ${p.where ?? '—'}` },
    { text: t(l, 'triage.view_station', { station: station ? `${station.name[l]} (${countryName(ds, station.countryCode, l)})` : '—' }) },
    { text: `${t(l, 'intake.f.what')}: ${p.what}` },
    ...detailLines(l, p.details, true),
    { text: anonymised ? t(l, 'triage.view_anonymised', { text: anonymised }) : t(l, 'triage.view_no_anonymised', { id: r.publicId }) },
    {
      text: `${t(l, 'intake.f.contact')}: ${r.consentContact ? (p.contact ?? t(l, 'triage.contact_via_bot')) : t(l, 'triage.contact_not_consented')}`,
    },
    {
      text: t(l, 'triage.view_consents', {
        contact: t(l, r.consentContact ? 'intake.yes' : 'intake.no'),
        ngo: t(l, r.consentShareNgo ? 'intake.yes' : 'intake.no'),
        law: t(l, r.consentShareLaw ? 'intake.yes' : 'intake.no'),
      }),
    },
    { text: t(l, 'triage.view_submitted', { date: r.createdAt.toISOString().slice(0, 16).replace('T', ' '), platform: r.platform }) },
  ];
  if (r.duplicateOf || dups.length)
    lines.push({ text: t(l, 'triage.view_duplicates', { ids: [r.duplicateOf, ...dups].filter(Boolean).join(', ') }) });
  if (evidence.length)
    lines.push({
      text: t(l, evidence.length === 1 ? 'triage.view_evidence_one' : 'triage.view_evidence', { count: evidence.length, id: r.publicId }),
    });
  const blocks: Block[] = [
    { type: 'title', text: t(l, 'triage.view_title', { id: r.publicId }) },
    { type: 'item', title: t(l, 'triage.view_heading'), lines },
  ];
  if (notes.length)
    blocks.push({
      type: 'item',
      title: t(l, 'triage.notes_title'),
      lines: notes.map((n) => ({
        text: `${n.createdAt.toISOString().slice(0, 16).replace('T', ' ')} ${who(n.authorHash, ctx)}: ${openForReport(d.keyring, r.dataKey, noteBinding(r.id, n.id), n.sealed).toString('utf8')}`,
      })),
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
    text: t(l, m.fromTeam ? 'triage.view_from_team' : 'triage.view_from_reporter', {
      date: m.createdAt.toISOString().slice(0, 10),
      text: openForReport(ring, r.dataKey, messageBinding(r.id, m.id), m.sealed).toString('utf8'),
    }),
  }));
}

/** `/triage evidence <R-ID>`: the report's images as files, with their hashes (audited). */
export async function evidenceFiles(ctx: CoreContext, args: string[]): Promise<Result<Reply, CoreError>> {
  const found = await findReport(ctx, args[0]);
  if (!found.ok) return found;
  const r = found.value;
  const d = deps(ctx);
  const rows = await d.store.evidence(r.id, true);
  await d.store.audit({ actorHash: ctx.actor.id, action: 'evidence.viewed', reportRef: r.publicId, details: { files: rows.length } });
  const files = rows.map((e, i) => ({
    name: `${r.publicId}-${i + 1}.${e.mime.split('/')[1]}`,
    mime: e.mime,
    bytes: new Uint8Array(openForReport(d.keyring, r.dataKey, evidenceBinding(r.id, e.id), e.sealed!)),
  }));
  const l = ctx.actor.locale;
  return ok(
    privateReply(
      [
        {
          type: 'text',
          text: t(l, files.length === 1 ? 'triage.evidence_sent_one' : 'triage.evidence_sent', { count: files.length, id: r.publicId }),
        },
        ...rows.map((e, i) => ({
          type: 'notice' as const,
          text: `${files[i]!.name}: sha256 ${e.sha256Stored} (original ${e.sha256Original})`,
        })),
      ],
      { files, ...decrypted(ctx) },
    ),
  );
}
