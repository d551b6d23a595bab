/**
 * Telling the triage team that a report arrived. A notice carries only the report's public id,
 * category, severity and time — never its content. Each adapter that has a triage chat
 * configured implements TriageNotifier; delivery goes through the database outbox so several
 * bot processes deliver each notice once.
 */
import type { Platform } from '../context.ts';
import type { Category } from '../intake/intake.taxonomy.ts';
import type { Reply } from '../reply.ts';
import type { Severity } from './triage.rules.ts';

/** What a notice may say. */
export interface TriageNotice {
  publicId: string;
  category: Category;
  severity: Severity | null;
  at: Date;
  /** absent: a new report; "answered": its reporter answered in the mailbox (never what) */
  kind?: 'answered';
  /** the reporter said they are in danger right now */
  urgent?: boolean;
}

/** An adapter's delivery of a rendered notice (text + buttons) to its configured triage chat. */
export interface TriageNotifier {
  platform: Platform;
  deliver(notice: TriageNotice, rendered: Reply): Promise<void>;
}
