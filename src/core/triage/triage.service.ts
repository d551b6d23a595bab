/**
 * The triage team's workflow: queue, view (audited: reading is an action), claim/assign, status
 * (allowed transitions only), severity, encrypted notes, link to a station, duplicates, station
 * suggestions (only with a source and quote), consented contact relayed through the reporter's
 * platform, clusters, exports by audience (see export.ts), anonymised versions, and the audit log.
 *
 * The entry other modules import: the command (triage.command.ts), its buttons (buttons.ts), the
 * team notice (format.ts) and the action list (triage.actions.ts). Each use case has its own file
 * (queue.ts, view.ts, update.ts, contact.ts, blocks.ts, team.ts, suggest.ts, clusters.ts,
 * audit.ts, help.ts), wired by name in triage.registry.ts.
 *
 * Every entry point re-checks membership: hiding a command is not authorizing it.
 */
export { triage } from './triage.command.ts';
export { triageChoice } from './buttons.ts';
export { renderNotice } from './format.ts';
export { LEAD_ACTIONS, mayDo, TRIAGE_ACTION_LABELS, TRIAGE_ACTIONS, type TriageAction } from './triage.actions.ts';
export { parseDuration } from './blocks.ts';
