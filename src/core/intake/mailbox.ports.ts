/**
 * The report's mailbox, as the core sees it: sealed messages between the team and the reporter,
 * the reporter's open session (which report a "Reply" or "Add evidence" goes to), and the
 * transaction that files a reporter's answer (message or image, status back to review, notice).
 */
import type { NewEvidence, OwnReport, Sealed } from './intake.ports.ts';

/** One stored message of a report's thread. */
export interface StoredMessage {
  id: string;
  fromTeam: boolean;
  sealed: Sealed;
  createdAt: Date;
}

/** What the next message of a reporter with an open mailbox is. */
export type MailboxMode = 'menu' | 'reply' | 'evidence';

/** A reporter's open mailbox. */
export interface MailboxSession {
  reportId: string;
  mode: MailboxMode;
}

/** A reporter's answer, filed in one transaction with what it changes. */
export type ReporterAnswer =
  { kind: 'message'; id: string; sealed: Sealed } | { kind: 'evidence'; evidence: Omit<NewEvidence, 'draftKey'> };

/** Storage of mailboxes. */
export interface MailboxStore {
  /** The report a session points to (with its data key), or null once it is erased. */
  report(reportId: string): Promise<OwnReport | null>;
  messages(reportId: string): Promise<StoredMessage[]>;
  /** The report's status changes, oldest first (from the audit log: no content). */
  statusHistory(publicId: string): Promise<{ at: Date; to: string }[]>;
  /** A team message: stored and audited together. */
  addFromTeam(m: { id: string; reportId: string; publicId: string; sealed: Sealed; actorHash: string }): Promise<void>;
  /**
   * A reporter's answer: stored; a `needs_info` report goes back to `in_review`; a contentless
   * notice for the team is queued; audited. Returns whether the status moved.
   */
  addFromReporter(reportId: string, publicId: string, answer: ReporterAnswer): Promise<{ reopened: boolean }>;
  /** Replaces the report's sealed payload (the reporter's news choice lives in it). */
  setPayload(reportId: string, sealed: Sealed): Promise<void>;
  session(key: string, now: Date): Promise<MailboxSession | null>;
  openSession(key: string, s: MailboxSession, expiresAt: Date): Promise<void>;
  closeSession(key: string): Promise<void>;
}
