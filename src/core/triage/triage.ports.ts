/** What the triage workflow needs from storage and from the platforms. Sealed blobs only. */
import type { Sealed } from '../intake/intake.ports.ts';
import type { Category } from '../intake/intake.taxonomy.ts';
import type { ReportStatus, Severity } from './triage.rules.ts';

/** A report as the triage team handles it (content still sealed). */
export interface TriageReport {
  id: string;
  publicId: string;
  platform: string;
  reporterHash: string;
  category: Category;
  status: ReportStatus;
  severity: Severity | null;
  stationId: string | null;
  period: string | null;
  assigneeHash: string | null;
  duplicateOf: string | null;
  consentContact: boolean;
  consentShareNgo: boolean;
  consentShareLaw: boolean;
  createdAt: Date;
  updatedAt: Date;
  closedAt: Date | null;
  /** the reporter said they were in danger when reporting */
  urgent?: boolean;
  payload: Sealed;
  /** the sealed relay route, or null */
  route: Sealed | null;
  /** the report's wrapped data key (every sealed value of the report opens with it) */
  dataKey: Sealed;
}

/** An audit entry: who did what to which report. Never content. */
export interface AuditEntry {
  actorHash: string;
  action: string;
  reportRef?: string | null;
  details?: Record<string, string | number | boolean | null>;
}

/** A stored audit event. */
export interface AuditRow extends AuditEntry {
  id: string;
  at: Date;
}

/** Evidence metadata (and, when asked, its sealed bytes). */
export interface EvidenceRow {
  id: string;
  mime: string;
  bytes: number;
  sha256Original: string;
  sha256Stored: string;
  sealed?: Sealed;
}

/** A triage note (sealed). */
export interface NoteRow {
  id: string;
  authorHash: string;
  createdAt: Date;
  sealed: Sealed;
}

/** Fields triage may change. */
export type ReportPatch = Partial<Pick<TriageReport, 'status' | 'severity' | 'assigneeHash' | 'stationId' | 'closedAt'>> & {
  duplicateOfPublicId?: string | null;
};

/** Reports, notes, audit and suggestions, from the team's side. */
export interface TriageStore {
  /** `assignee`: a member's hash, or null for unassigned reports; `urgent`: only those marked urgent */
  queue(f: {
    statuses: readonly ReportStatus[];
    category?: Category | undefined;
    severity?: Severity | undefined;
    assignee?: string | null | undefined;
    urgent?: boolean | undefined;
    skip: number;
    take: number;
  }): Promise<{ rows: TriageReport[]; total: number }>;
  get(publicId: string): Promise<TriageReport | null>;
  /** reports marked as duplicates of this one */
  duplicatesOf(id: string): Promise<string[]>;
  evidence(reportId: string, withData: boolean): Promise<EvidenceRow[]>;
  notes(reportId: string): Promise<NoteRow[]>;
  /** applies the patch and writes the audit entry in one transaction */
  update(id: string, patch: ReportPatch, audit: AuditEntry): Promise<void>;
  addNote(note: { id: string; reportId: string; authorHash: string; sealed: Sealed }, audit: AuditEntry): Promise<void>;
  audit(entry: AuditEntry): Promise<void>;
  auditLog(f: { reportRef?: string | undefined; take: number }): Promise<AuditRow[]>;
  /** reports for clustering and export */
  select(f: { statuses: readonly ReportStatus[] }): Promise<TriageReport[]>;
  addSuggestion(
    s: {
      stationId: string | null;
      proposal: Record<string, unknown>;
      sourceId: string;
      quote: string;
      authorHash: string;
      reportId: string | null;
    },
    audit: AuditEntry,
  ): Promise<string>;
}

/** Why a relay could not deliver, as a stable code: the reporter blocked the bot or left the platform. */
export type RelayFailure = 'REPORTER_UNREACHABLE';

/** Sends a message back to a reporter through the platform they used (a RelayFailure when it cannot). */
export type Relay = (route: string, text: string) => Promise<void | RelayFailure>;
