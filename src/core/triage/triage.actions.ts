/** The triage actions: their names, who may run them (reviewer or lead), and how each is typed. */
import type { CoreContext } from '../context.ts';
import type { MessageKey } from '../i18n/catalog.ts';

/** Every action of /triage, in the order help lists them. */
export const TRIAGE_ACTIONS = [
  'help',
  'queue',
  'view',
  'evidence',
  'claim',
  'assign',
  'status',
  'severity',
  'note',
  'link',
  'duplicate',
  'suggest',
  'ask',
  'contact',
  'clusters',
  'stats',
  'export',
  'anonymise',
  'snippet',
  'block',
  'unblock',
  'blocks',
  'role',
  'audit',
] as const;

/**
 * What only a lead may do: whatever sends report content out of the team's hands (exports,
 * messages to the reporter, the anonymised version), gives work to others, or reads everyone's trail.
 * One seized phone of a reviewer exposes the queue, not the exports or the reporters' mailboxes.
 */
export const LEAD_ACTIONS: ReadonlySet<TriageAction> = new Set([
  'assign',
  'ask',
  'contact',
  'export',
  'anonymise',
  'snippet',
  'block',
  'unblock',
  'blocks',
  'role',
  'audit',
]);

/** The arguments of each action, as typed after it (language-neutral syntax). */
const ACTION_ARGS: Record<TriageAction, string> = {
  help: '',
  queue: '[status…] [category] [severity] [mine|unassigned] [urgent] [pN]',
  view: '<R-ID>',
  evidence: '<R-ID>',
  claim: '<R-ID>',
  assign: '<R-ID> <member id>',
  status: '<R-ID> <status>',
  severity: '<R-ID> low|medium|high|critical',
  note: '<R-ID> <text>',
  link: '<R-ID> <place>',
  duplicate: '<R-ID> <R-ID of the original>',
  suggest: '<station id|new> | <change> | <source id> | <quote> [| R-ID]',
  ask: '<R-ID> <text|#snippet>',
  contact: '<R-ID> <text|#snippet>',
  snippet: 'add <name> <English> | <简体> | <繁體> · list · remove <name>',
  clusters: '',
  stats: '',
  export: 'ngo|law [status…]',
  anonymise: '<R-ID> <text>',
  block: '<R-ID> <30m|12h|7d> [reason]',
  unblock: '<R-ID>',
  blocks: '',
  role: 'add <user id> reviewer|lead · remove <user id> · list',
  audit: '[R-ID]',
};

/** Whether the actor's role allows the action. */
export const mayDo = (ctx: CoreContext, a: TriageAction) => !LEAD_ACTIONS.has(a) || ctx.actor.role !== 'reviewer';
/** One action of /triage. */
export type TriageAction = (typeof TRIAGE_ACTIONS)[number];

/** True when s names a triage action. */
export function isTriageAction(s: string): s is TriageAction {
  return (TRIAGE_ACTIONS as readonly string[]).includes(s);
}

/** The usage line of an action: "/triage status <R-ID> <status>". */
export const usageOf = (a: TriageAction): string => `/triage ${a}${ACTION_ARGS[a] ? ` ${ACTION_ARGS[a]}` : ''}`;

/** Catalog keys used for the triage action choices (for command registration). */
export const TRIAGE_ACTION_LABELS: Record<TriageAction, MessageKey> = Object.fromEntries(
  TRIAGE_ACTIONS.map((a) => [a, `triage.action.${a}`]),
) as Record<TriageAction, MessageKey>;
