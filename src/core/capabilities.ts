/**
 * What the platform an adapter serves can do, declared by the adapter on every CoreContext. Core
 * asks "can this platform delete the person's messages?", never "is this Telegram?": what a reply
 * promises (a clean chat, news notices) must be what the platform really does.
 */

/** The platform's abilities that change what core says or offers. */
export interface Capabilities {
  /** the bot deletes the person's own messages from a private chat once they are saved (a clean chat) */
  deletesUserMessages: boolean;
  /** the bot deletes its own messages later (a report's questions on submit, the receipt on request) */
  deletesOwnMessages: boolean;
  /** the bot can write to the person's private chat later, unasked ("there is news on your report") */
  pushesNotices: boolean;
  /** an answer in a public place can be shown to the asker alone (Discord's ephemeral replies) */
  privateRepliesInPublic: boolean;
  /** new-report notices reach the team in a triage chat of this platform's deployment (not so on the console) */
  triageChat: boolean;
  /** the triage team's roles are changed with `/triage role` on this platform */
  teamRolesByCommand: boolean;
}

/** None of them: what core assumes when an adapter declares nothing (it promises nothing it cannot keep). */
export const NO_CAPABILITIES: Capabilities = Object.freeze({
  deletesUserMessages: false,
  deletesOwnMessages: false,
  pushesNotices: false,
  privateRepliesInPublic: false,
  triageChat: false,
  teamRolesByCommand: false,
});

/** The capabilities of the request's platform. @example if (capabilitiesOf(ctx).pushesNotices) choices.push(newsButton) */
export function capabilitiesOf(ctx: { capabilities?: Capabilities | undefined }): Capabilities {
  return ctx.capabilities ?? NO_CAPABILITIES;
}
