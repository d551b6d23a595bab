/** The triage workflow's rules, as data: statuses, allowed transitions, severities. */

export const REPORT_STATUSES = ['new', 'in_review', 'needs_info', 'verified', 'referred', 'dismissed', 'closed'] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Which status may follow which. Closed is final (and purged after the retention period). */
export const TRANSITIONS: Record<ReportStatus, readonly ReportStatus[]> = {
  new: ['in_review', 'dismissed'],
  in_review: ['needs_info', 'verified', 'dismissed'],
  needs_info: ['in_review', 'dismissed'],
  verified: ['referred', 'closed'],
  referred: ['closed'],
  dismissed: ['in_review', 'closed'],
  closed: [],
};

/** Statuses the queue shows by default. */
export const OPEN_STATUSES: readonly ReportStatus[] = ['new', 'in_review', 'needs_info', 'verified', 'referred'];

/** True when s is a report status. */
export function isReportStatus(s: string): s is ReportStatus {
  return (REPORT_STATUSES as readonly string[]).includes(s);
}

/** True when s is a severity. */
export function isSeverity(s: string): s is Severity {
  return (SEVERITIES as readonly string[]).includes(s);
}

/** True when `to` may follow `from`. */
export function canTransition(from: ReportStatus, to: ReportStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** A short, stable label for a team member's pseudonym (never reversible). */
export function memberTag(hash: string): string {
  return `#${hash.slice(0, 6)}`;
}
