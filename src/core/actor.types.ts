/** Who a person is to Lantern, in words every port can use (kept apart from context.ts so ports need not import it). */

/** The platforms Lantern speaks on. */
export type Platform = 'console' | 'discord' | 'telegram';

/** What a triage member may do: a reviewer works the queue; a lead also exports, writes to reporters, reads the audit log. */
export type TriageRole = 'reviewer' | 'lead';
