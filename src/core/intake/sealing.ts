/**
 * What each sealed value of a report is bound to (see crypto/envelope.ts): one function per row
 * kind, used by intake, triage and maintenance alike, so sealing and opening can never disagree.
 */
import type { Binding } from '../crypto/envelope.ts';

/** The consent flags a payload stays bound to: flipping one in the clear columns makes it unreadable. */
export interface ConsentFlags {
  consentContact: boolean;
  consentShareNgo: boolean;
  consentShareLaw: boolean;
}

/** The binding of a report's payload. */
export const payloadBinding = (reportId: string, c: ConsentFlags): Binding => ({
  reportId,
  kind: 'payload',
  rowId: reportId,
  bind: { contact: c.consentContact, ngo: c.consentShareNgo, law: c.consentShareLaw },
});

/** The binding of a report's relay route (the platform chat address). */
export const routeBinding = (reportId: string): Binding => ({ reportId, kind: 'route', rowId: reportId });

/** The binding of an evidence image of a report (or of the draft it grows from). */
export const evidenceBinding = (reportId: string, evidenceId: string): Binding => ({ reportId, kind: 'evidence', rowId: evidenceId });

/** The binding of a triage note. */
export const noteBinding = (reportId: string, noteId: string): Binding => ({ reportId, kind: 'note', rowId: noteId });

/** The binding of a draft's state (the conversation key is the row). */
export const draftBinding = (reportId: string, conversationKey: string): Binding => ({ reportId, kind: 'draft', rowId: conversationKey });

/** The binding of the triage team's anonymised version of a report (one per report). */
export const anonymisedBinding = (reportId: string): Binding => ({ reportId, kind: 'anonymised', rowId: reportId });

/** The binding of a mailbox message (the team's question or the reporter's answer). */
export const messageBinding = (reportId: string, messageId: string): Binding => ({ reportId, kind: 'message', rowId: messageId });
