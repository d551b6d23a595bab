/**
 * Who asks, where, in which language: an interaction's person as a CoreContext (pseudonymous
 * actor, triage role by the server's roles, chat kind, the DM's route), and the place it happens.
 */
import { ChannelType, InteractionContextType, type Interaction } from 'discord.js';
import type { CoreContext, TriageRole } from '../../core/context.ts';
import { pseudonym } from '../../core/crypto/crypto.ts';
import { toLocale, type Locale } from '../../core/i18n/locales.ts';
import { DISCORD_CAPABILITIES } from './capabilities.ts';
import type { DiscordState } from './state.ts';

/** Where an interaction or message happens. */
export type Place = 'dm' | 'guild' | 'other';

/** The place of an interaction: a server, the bot's DM, or elsewhere (a group DM, another user's DM). */
export const placeOf = (i: Interaction): Place =>
  i.guildId ? 'guild' : i.context === InteractionContextType.BotDM || i.channel?.type === ChannelType.DM ? 'dm' : 'other';

/** The member's triage role: only in the triage server, by their Discord roles (a lead role wins). */
export function triageRole(s: DiscordState, i: Interaction): TriageRole | undefined {
  const { config } = s;
  if (!config.triageGuildId || i.guildId !== config.triageGuildId || !i.member) return undefined;
  const roles = Array.isArray(i.member.roles) ? i.member.roles : [...i.member.roles.cache.keys()];
  if (roles.some((r) => config.triageRoleIds.includes(r))) return 'lead';
  return roles.some((r) => config.triageReviewerRoleIds.includes(r)) ? 'reviewer' : undefined;
}

/** The given value, or `fallback` when it takes longer than `ms` (the promise is left to finish). */
async function within<T>(p: Promise<T>, ms: number, fallback: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<T>((resolve) => (timer = setTimeout(() => resolve(fallback), ms)));
  try {
    return await Promise.race([p.catch(() => fallback), late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Remembers the person's Discord client language for their DMs. */
export const seenLocale = (s: DiscordState, i: Interaction) => s.locales.set(pseudonym(s.app.keyring, 'discord', i.user.id), i.locale);

/** The person's language from memory within `memoryOnlyMs`, else their Discord client's. */
export async function quickLocale(s: DiscordState, i: Interaction): Promise<Locale> {
  seenLocale(s, i);
  const fallback = toLocale(i.locale, s.app.config.defaultLocale);
  return within(
    s.app.actor('discord', i.user.id, { localeHint: i.locale }).then((a) => a.locale),
    s.memoryOnlyMs,
    fallback,
  );
}

/** The CoreContext of an interaction in `chat`. */
export async function contextFor(s: DiscordState, i: Interaction, chat: CoreContext['chat']): Promise<CoreContext> {
  seenLocale(s, i);
  const role = triageRole(s, i);
  const actor = await s.app.actor('discord', i.user.id, { localeHint: i.locale, triage: role !== undefined, ...(role ? { role } : {}) });
  return {
    actor,
    chat,
    deps: s.app.deps,
    capabilities: DISCORD_CAPABILITIES,
    ...(placeOf(i) === 'dm' && i.channelId ? { route: i.channelId } : {}),
  };
}
