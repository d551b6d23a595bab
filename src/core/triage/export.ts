/**
 * Exports by audience and the anonymised versions they carry. An export for NGOs (or law
 * enforcement) holds only reports whose reporter consented to that audience, never a contact
 * detail, never the reporter's own words (free text only as a team member's anonymised version),
 * and dates to the day. It leaves encrypted to the operator's age recipients, or, with none
 * configured, only onto the operator's own disk from the console (--save-files).
 */
import type { CoreContext } from '../context.ts';
import { coreError, type CoreError } from '../errors.ts';
import { sha256 } from '../crypto/crypto.ts';
import { t } from '../i18n/catalog.ts';
import { ok, err, type Result } from '../result.ts';
import type { Block, Reply } from '../reply.ts';
import type { ReportPayload } from '../intake/report-payload.ts';
import { isReportStatus, type ReportStatus } from './triage.rules.ts';
import type { EvidenceRow, TriageReport } from './triage.ports.ts';
import { AUDIENCES, type Audience } from './export.ports.ts';
import { openAnonymised, sealAnonymised } from './anonymised.ts';
import { encryptToRecipients } from './export.age.ts';

/** Statuses exported when none are given after the audience. */
export const DEFAULT_EXPORT_STATUSES = ['verified', 'referred'] as const;

const day = (d: Date) => d.toISOString().slice(0, 10);

/** True when the reporter consented to sharing with this audience. */
export function consentedTo(r: Pick<TriageReport, 'consentShareNgo' | 'consentShareLaw'>, audience: Audience): boolean {
  return audience === 'ngo' ? r.consentShareNgo : r.consentShareLaw;
}

/**
 * One exported report: structured fields, the anonymised text if a member wrote one, dates to the
 * day. Nothing the reporter typed (what, where, contact, identifiers) is read here, so none can leak.
 */
export function exportRecord(
  r: TriageReport,
  p: Pick<ReportPayload, 'when' | 'details'>,
  anonymised: string | null,
  evidence: EvidenceRow[],
) {
  const when = p.when;
  // the details the reporter chose from lists (never the identifiers they typed)
  const d = p.details;
  return {
    id: r.publicId,
    category: r.category,
    status: r.status,
    severity: r.severity,
    station: r.stationId,
    // the reporter chose date, month or year; a date is already a day
    incident: when && when.kind !== 'undisclosed' ? when.value : null,
    submitted_day: day(r.createdAt),
    claimed_affiliation: d?.who ?? null,
    channels: d?.how.join(' ') || null,
    family_in_china: d?.family ?? null,
    text: anonymised,
    text_is: anonymised ? 'anonymised by the triage team' : 'none (structured fields only)',
    // the stored (cleaned) image's hash only: the original's would let a photo's holder link it
    evidence: evidence.map((e) => ({ sha256: e.sha256Stored, mime: e.mime, bytes: e.bytes })),
  };
}

type ExportRecord = ReturnType<typeof exportRecord>;
const COLUMNS = [
  'id',
  'category',
  'status',
  'severity',
  'station',
  'incident',
  'submitted_day',
  'claimed_affiliation',
  'channels',
  'family_in_china',
  'text',
  'text_is',
  'evidence',
] as const;

const csvCell = (v: unknown) => {
  const s = v === null || v === undefined ? '' : String(v);
  // Quote everything; neutralise spreadsheet formulas.
  return `"${(/^[=+\-@\t\r]/.test(s) ? `'${s}` : s).replace(/"/g, '""')}"`;
};

function toCsv(records: ExportRecord[]): Buffer {
  const cell = (rec: ExportRecord, c: (typeof COLUMNS)[number]) =>
    csvCell(c === 'evidence' ? rec.evidence.map((e) => e.sha256).join(' ') : rec[c]);
  return Buffer.from([COLUMNS.join(','), ...records.map((rec) => COLUMNS.map((c) => cell(rec, c)).join(','))].join('\r\n') + '\r\n');
}

function manifestOf(
  audience: Audience,
  statuses: readonly string[],
  generated: Date,
  records: ExportRecord[],
  files: Record<string, Buffer>,
): Buffer {
  const m = {
    audience,
    generated_day: day(generated),
    reports: records.length,
    statuses,
    files: Object.fromEntries(Object.entries(files).map(([name, b]) => [name, sha256(b)])),
    rules: `only reports whose reporter consented to sharing with ${audience === 'ngo' ? 'NGOs' : 'law enforcement'}; no contact details; no reporter's words (free text only as a version the triage team anonymised); dates to the day`,
  };
  return Buffer.from(JSON.stringify(m, null, 2));
}

function exportDeps(ctx: CoreContext) {
  const d = ctx.deps.triage;
  const keyring = ctx.deps.intake?.keyring;
  if (!d || !keyring) throw new Error('triage dependencies are not configured');
  return { ...d, keyring };
}

/** Parses "<ngo|law> [status…]"; a missing audience or an unknown word is a usage error. */
function parseExportArgs(args: string[]): Result<{ audience: Audience; statuses: ReportStatus[]; defaulted: boolean }, CoreError> {
  const [first, ...rest] = args;
  if (!first || !(AUDIENCES as readonly string[]).includes(first))
    return err(coreError('TRIAGE.EXPORT_AUDIENCE', { defaults: DEFAULT_EXPORT_STATUSES.join(', ') }));
  const statuses = rest.filter(isReportStatus);
  const unknown = rest.filter((a) => !isReportStatus(a));
  if (unknown.length) return err(coreError('TRIAGE.BAD_FILTER', { filter: unknown.join(' ') }));
  return ok({
    audience: first as Audience,
    statuses: statuses.length ? statuses : [...DEFAULT_EXPORT_STATUSES],
    defaulted: !statuses.length,
  });
}

async function recordsFor(
  ctx: CoreContext,
  audience: Audience,
  statuses: readonly ReportStatus[],
  payloadOf: (r: TriageReport) => ReportPayload,
): Promise<ExportRecord[]> {
  const d = exportDeps(ctx);
  const rows = (await d.store.select({ statuses })).filter((r) => consentedTo(r, audience));
  const records: ExportRecord[] = [];
  for (const r of rows) {
    const anon = await d.anonymised.get(r.id);
    const text = anon ? openAnonymised(d.keyring, r, anon.sealed) : null;
    records.push(exportRecord(r, payloadOf(r), text, await d.store.evidence(r.id, false)));
  }
  return records;
}

/** /triage export <ngo|law> [status…]: the consented, anonymised export, encrypted to the recipients. */
export async function exportReports(
  ctx: CoreContext,
  args: string[],
  payloadOf: (r: TriageReport) => ReportPayload,
): Promise<Result<Reply, CoreError>> {
  const parsed = parseExportArgs(args);
  if (!parsed.ok) return parsed;
  const { audience, statuses, defaulted } = parsed.value;
  const d = exportDeps(ctx);
  const recipients = d.exports.recipients;
  // Unencrypted files leave only onto the operator's own disk (console --save-files).
  if (!recipients.length && !ctx.localFiles) return err(coreError('TRIAGE.EXPORT_NO_RECIPIENT', { setting: 'LANTERN_EXPORT_RECIPIENTS' }));
  const records = await recordsFor(ctx, audience, statuses, payloadOf);
  const now = ctx.deps.clock.now();
  const base = `lantern-${audience}-${day(now)}`;
  const plain: Record<string, Buffer> = {
    [`${base}-reports.json`]: Buffer.from(JSON.stringify(records, null, 2)),
    [`${base}-reports.csv`]: toCsv(records),
  };
  plain[`${base}-manifest.json`] = manifestOf(audience, statuses, now, records, plain);
  const files = await Promise.all(Object.entries(plain).map(([name, bytes]) => filePart(recipients, name, bytes)));
  await d.store.audit({
    actorHash: ctx.actor.id,
    action: 'reports.exported',
    details: { audience, reports: records.length, encrypted: recipients.length > 0 },
  });
  return ok({
    private: true,
    kind: 'answer',
    citations: [],
    blocks: exportBlocks(ctx, audience, statuses, defaulted, records.length, recipients.length),
    files,
  });
}

async function filePart(recipients: readonly string[], name: string, bytes: Buffer) {
  if (!recipients.length) return { name, mime: name.endsWith('.csv') ? 'text/csv' : 'application/json', bytes: new Uint8Array(bytes) };
  return { name: `${name}.age`, mime: 'application/octet-stream', bytes: await encryptToRecipients(recipients, bytes) };
}

function exportBlocks(
  ctx: CoreContext,
  audience: Audience,
  statuses: string[],
  defaulted: boolean,
  count: number,
  recipients: number,
): Block[] {
  const l = ctx.actor.locale;
  const who = t(l, audience === 'ngo' ? 'triage.audience_ngo' : 'triage.audience_law');
  const blocks: Block[] = [{ type: 'text', text: t(l, 'triage.exported_for', { count, audience: who, statuses: statuses.join(', ') }) }];
  if (defaulted)
    blocks.push({
      type: 'notice',
      text: t(l, 'triage.export_default_statuses', { statuses: DEFAULT_EXPORT_STATUSES.join(', '), audience }),
    });
  blocks.push({
    type: 'notice',
    text: recipients
      ? t(l, 'triage.export_encrypted', { count: recipients })
      : t(l, 'triage.export_plain_local', { setting: 'LANTERN_EXPORT_RECIPIENTS' }),
  });
  return blocks;
}

/** The anonymised text of a report for /triage view (null when none was written). */
export async function anonymisedText(ctx: CoreContext, r: TriageReport): Promise<string | null> {
  const d = exportDeps(ctx);
  const row = await d.anonymised.get(r.id);
  return row ? openAnonymised(d.keyring, r, row.sealed) : null;
}

/** /triage anonymise <R-ID> <text>: stores (sealed, audited) the only free text exports may carry. */
export async function saveAnonymised(ctx: CoreContext, r: TriageReport, text: string): Promise<Reply> {
  const d = exportDeps(ctx);
  const sealed = sealAnonymised(d.keyring, r, text);
  await d.anonymised.put(
    { reportId: r.id, authorHash: ctx.actor.id, sealed },
    { actorHash: ctx.actor.id, action: 'report.anonymised', reportRef: r.publicId },
  );
  const l = ctx.actor.locale;
  const blocks: Block[] = [
    { type: 'text', text: t(l, 'triage.anonymised', { id: r.publicId }) },
    { type: 'notice', text: t(l, 'triage.anonymise_hint') },
  ];
  return { private: true, kind: 'answer', citations: [], blocks };
}
