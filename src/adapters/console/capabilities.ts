/** What the console adapter does, declared on every CoreContext it builds (see core/capabilities.ts). */
import type { Capabilities } from '../../core/capabilities.ts';

/**
 * The console: a terminal keeps what was typed (its scrollback is the person's own), nothing is
 * written unasked, notices reach the team on a triage console or chat, and --as sets the role.
 */
export const CONSOLE_CAPABILITIES: Capabilities = Object.freeze({
  deletesUserMessages: false,
  deletesOwnMessages: false,
  pushesNotices: false,
  privateRepliesInPublic: false,
  triageChat: false,
  teamRolesByCommand: false,
});
