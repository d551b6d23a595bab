/** What the Discord adapter does, declared on every CoreContext it builds (see core/capabilities.ts). */
import type { Capabilities } from '../../core/capabilities.ts';

/** Discord: a bot cannot delete the person's DM messages, only its own; ephemeral replies are private in a server. */
export const DISCORD_CAPABILITIES: Capabilities = Object.freeze({
  deletesUserMessages: false,
  deletesOwnMessages: true,
  pushesNotices: true,
  privateRepliesInPublic: true,
  triageChat: true,
  // the server's roles decide (DISCORD_TRIAGE_ROLE_IDS), not a command
  teamRolesByCommand: false,
});
