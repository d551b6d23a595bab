/** Who sends an update, and where: the CoreContext of a request, a message's sender and its forum topic. */
import type { Chat, Message, User } from 'grammy/types';
import type { CoreContext, TriageRole } from '../../core/context.ts';
import { pseudonym } from '../../core/crypto/crypto.ts';
import { TELEGRAM_CAPABILITIES } from './capabilities.ts';
import type { Origin } from './deliver.ts';
import type { TelegramState } from './state.ts';

/** A message without a sender cannot be answered safely (whose actor, whose private chat?). */
export class MalformedUpdateError extends Error {
  override name = 'MalformedUpdateError';
}

/** A member's role: a change made with /triage role decides, else the environment's lists. */
async function teamRole(s: TelegramState, from: User): Promise<TriageRole | undefined> {
  const runtime = await s.app.deps.triage?.team?.get('telegram', pseudonym(s.app.keyring, 'telegram', String(from.id)));
  if (runtime) return runtime === 'removed' ? undefined : runtime;
  if (s.tg.triageUserIds.includes(String(from.id))) return 'lead';
  return s.tg.triageReviewerIds.includes(String(from.id)) ? 'reviewer' : undefined;
}

/** The CoreContext of a request: pseudonymous actor, chat kind, private route. */
export async function coreContext(s: TelegramState, from: User, chat: Chat | undefined): Promise<CoreContext> {
  const isPrivate = chat?.type === 'private';
  const role = await teamRole(s, from);
  const triageChat = s.migrations.triageChat();
  const inTriageGroup = chat !== undefined && triageChat !== undefined && String(chat.id) === triageChat;
  const actor = await s.app.actor('telegram', String(from.id), {
    localeHint: from.language_code,
    triage: role !== undefined && (isPrivate || inTriageGroup),
    ...(role ? { role } : {}),
  });
  const base = { actor, deps: s.app.deps, capabilities: TELEGRAM_CAPABILITIES };
  return isPrivate ? { ...base, chat: 'private', route: String(chat.id) } : { ...base, chat: 'public' };
}

/** The sender of a message (throws MalformedUpdateError when there is none). */
export function sender(m: Message): User {
  if (!m.from) throw new MalformedUpdateError('message without sender');
  return m.from;
}

/** The forum topic a message is in (undefined outside forums, and for General). */
export function topicOf(m: Message): number | undefined {
  return m.is_topic_message ? m.message_thread_id : undefined;
}

/** Where a message's answer goes. */
export const origin = (m: Message, from: User, command?: string, startPayload?: string): Origin => ({
  chat: m.chat,
  userId: from.id,
  messageId: m.message_id,
  command,
  callback: false,
  threadId: topicOf(m),
  startPayload,
});
