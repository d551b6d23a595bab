/**
 * Telegram's command menus (setMyCommands), derived from the declarations in commands/.
 *
 * Scopes: commands that work anywhere go to the default scope (every chat); private-only ones
 * (report, myreports, forget) are added for private chats only, so a group's menu never invites
 * someone to start a report where others can see it; triage commands appear only in the
 * configured triage group. Hiding is not authorizing: the core checks membership anyway.
 *
 * Languages: Telegram matches `language_code` against the two-letter ISO 639-1 code of the
 * person's app language, so Chinese can only be registered as "zh", which gets the Simplified
 * Chinese descriptions (zh-Hans); people with another app language see the English default.
 * Inside Lantern everyone can still choose Traditional Chinese with /language zh-Hant.
 */
import type { BotCommand, BotCommandScope, LanguageCode } from 'grammy/types';
import { validateCommands } from '../../../commands/define.ts';
import type { AnyCommand } from '../../core/commands/command.types.ts';
import { t } from '../../core/i18n/catalog.ts';
import type { Locale } from '../../core/i18n/locales.ts';

/** The arguments of one setMyCommands call. */
export interface SetMyCommandsPayload {
  scope: BotCommandScope;
  /** absent: the fallback for every language */
  language_code?: LanguageCode;
  commands: BotCommand[];
}

/** The menu languages Telegram can tell apart, and the catalog each one uses. */
export const MENU_LANGUAGES: readonly { code?: LanguageCode; locale: Locale }[] = [{ locale: 'en' }, { code: 'zh', locale: 'zh-Hans' }];

/** Telegram's own limits for a menu entry (stricter ones are already enforced by validateCommands). */
const TELEGRAM_COMMAND = /^[a-z0-9_]{1,32}$/;
const TELEGRAM_DESCRIPTION_MAX = 256;

/**
 * Every setMyCommands payload for these declarations, in the order to send them.
 * Throws UncompliantCommandsError (listing every offender) before anything is registered.
 *
 * @example for (const p of toTelegramCommands(allCommands, { triageChatId })) await api.setMyCommands(p.commands, { scope: p.scope, language_code: p.language_code });
 */
export function toTelegramCommands(defs: readonly AnyCommand[], opts: { triageChatId?: string | undefined } = {}): SetMyCommandsPayload[] {
  validateCommands(defs);
  const anywhere = defs.filter((d) => d.audience === 'everyone' && d.where === 'anywhere');
  const everyone = defs.filter((d) => d.audience === 'everyone');
  const triage = defs.filter((d) => d.audience === 'triage');
  const menus: { scope: BotCommandScope; defs: AnyCommand[] }[] = [
    { scope: { type: 'default' }, defs: anywhere },
    { scope: { type: 'all_private_chats' }, defs: everyone },
  ];
  // A chat scope replaces the default menu in that chat, so it repeats the commands that work there.
  if (opts.triageChatId) menus.push({ scope: { type: 'chat', chat_id: Number(opts.triageChatId) }, defs: [...anywhere, ...triage] });
  const payloads = menus.flatMap(({ scope, defs: list }) =>
    MENU_LANGUAGES.map(({ code, locale }) => ({
      scope,
      ...(code ? { language_code: code } : {}),
      commands: list.map((d) => ({ command: d.name, description: t(locale, d.description) })),
    })),
  );
  for (const p of payloads)
    for (const c of p.commands)
      if (!TELEGRAM_COMMAND.test(c.command) || c.description.length > TELEGRAM_DESCRIPTION_MAX)
        throw new Error(`/${c.command}: not a valid Telegram menu entry (fix it in commands/)`);
  return payloads;
}
