/**
 * Where a command runs, decided once for every adapter: the chat kind its CoreContext gets, and
 * whether its answer is private whatever the chat (so an adapter can acknowledge it privately
 * before the answer exists).
 */
import type { Capabilities } from '../capabilities.ts';
import type { CoreContext } from '../context.ts';
import type { AnyCommand } from './command.types.ts';

/**
 * The chat kind of a command asked in `place`. A private place is private; a private-only
 * command asked in public runs in private where the platform can answer the asker alone there
 * (Discord's ephemeral replies); elsewhere it stays public and the dispatcher refuses it.
 * @example commandChat(lantern.find('report'), 'public', { ...caps, privateRepliesInPublic: true }) // 'private'
 */
export function commandChat(
  cmd: Pick<AnyCommand, 'where'> | undefined,
  place: CoreContext['chat'],
  can: Pick<Capabilities, 'privateRepliesInPublic'>,
): CoreContext['chat'] {
  if (place === 'private') return 'private';
  return cmd?.where === 'private-only' && can.privateRepliesInPublic ? 'private' : 'public';
}

/** Whether a command's answer is private wherever it is asked (triage answers are). */
export function answersPrivately(cmd: Pick<AnyCommand, 'audience'> | undefined): boolean {
  return cmd?.audience === 'triage';
}
