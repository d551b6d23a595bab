/** What a committed report holds, sealed with its data key: read by intake, the mailbox and triage. */
import type { ReportDetails } from './details.ts';
import type { DraftState } from './intake.machine.ts';

/** The encrypted payload of a committed report. */
export interface ReportPayload {
  when: DraftState['data']['when'];
  where: string | null;
  stationId: string | null;
  what: string;
  contact: string | null;
  /** bot messages of the intake, for "forget me" */
  messages: string[];
  /** the optional details (absent in reports filed before they existed) */
  details?: ReportDetails;
  /**
   * Where to say "there is news" (the private chat), when the reporter asked for it; sealed in
   * the payload, so the choice itself is not in clear. Absent or null: no such notice.
   */
  news?: string | null;
}
