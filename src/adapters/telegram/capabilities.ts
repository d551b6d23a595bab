/** What the Telegram adapter does, declared on every CoreContext it builds (see core/capabilities.ts). */
import type { Capabilities } from '../../core/capabilities.ts';

/** Telegram: a bot deletes messages in its private chats, the person's and its own; it writes first once started. */
export const TELEGRAM_CAPABILITIES: Capabilities = Object.freeze({
  deletesUserMessages: true,
  deletesOwnMessages: true,
  pushesNotices: true,
  // a group has no message only one member sees: a private-only command is refused there
  privateRepliesInPublic: false,
  triageChat: true,
  // the team's roles can change at run time with /triage role (TELEGRAM_TRIAGE_* are the initial set)
  teamRolesByCommand: true,
});
