/**
 * Discord's slash-command registration, derived from the declarations in commands/ with the
 * discord.js builders. Everyone's commands are global (usable in servers and in the bot's DMs);
 * triage commands go only to the triage guild, hidden from members without a role the server
 * grants them (default_member_permissions "0") — hiding is not authorizing: the core checks anyway.
 */
import {
  ApplicationIntegrationType,
  InteractionContextType,
  SlashCommandBuilder,
  type LocalizationMap,
  type RESTPutAPIApplicationCommandsJSONBody,
} from 'discord.js';
import type { AnyCommand } from '../../core/commands/command.types.ts';
import { t, type MessageKey } from '../../core/i18n/catalog.ts';

/** Discord locales Lantern speaks, and the catalog each one reads. */
const DISCORD_LOCALES = { 'en-US': 'en', 'en-GB': 'en', 'zh-CN': 'zh-Hans', 'zh-TW': 'zh-Hant' } as const;

/** A catalog text in every Discord locale we speak. */
function localized(key: MessageKey): LocalizationMap {
  return Object.fromEntries(Object.entries(DISCORD_LOCALES).map(([discord, ours]) => [discord, t(ours, key)]));
}

/**
 * Command and option names stay English in every locale: the help texts, usage examples and
 * error messages of all three catalogs say "/lookup", so a localized name would contradict them.
 */
function sameName(name: string): LocalizationMap {
  return Object.fromEntries(Object.keys(DISCORD_LOCALES).map((l) => [l, name]));
}

/** One command as Discord's JSON. Required options come first, as Discord demands. */
function toJSON(cmd: AnyCommand, scope: 'global' | 'guild') {
  const b = new SlashCommandBuilder()
    .setName(cmd.name)
    .setNameLocalizations(sameName(cmd.name))
    .setDescription(t('en', cmd.description))
    .setDescriptionLocalizations(localized(cmd.description));
  if (scope === 'global')
    b.setContexts(InteractionContextType.Guild, InteractionContextType.BotDM).setIntegrationTypes(ApplicationIntegrationType.GuildInstall);
  if (cmd.audience === 'triage') b.setDefaultMemberPermissions('0');
  const options = Object.entries(cmd.options).sort(([, a], [, b2]) => Number(b2.required) - Number(a.required));
  for (const [name, o] of options) {
    if (o.kind === 'file') {
      b.addAttachmentOption((a) =>
        a
          .setName(name)
          .setNameLocalizations(sameName(name))
          .setDescription(t('en', o.description))
          .setDescriptionLocalizations(localized(o.description))
          .setRequired(o.required),
      );
      continue;
    }
    b.addStringOption((s) => {
      s.setName(name)
        .setNameLocalizations(sameName(name))
        .setDescription(t('en', o.description))
        .setDescriptionLocalizations(localized(o.description))
        .setRequired(o.required);
      if (o.maxLength !== undefined) s.setMaxLength(o.maxLength);
      if (o.autocomplete) s.setAutocomplete(true);
      else if (o.choices?.length)
        s.addChoices(...o.choices.map((c) => ({ name: t('en', c.label), name_localizations: localized(c.label), value: c.value })));
      return s;
    });
  }
  return b.toJSON();
}

/** The registration payloads: global commands, and the triage guild's commands. */
export interface DiscordRegistration {
  /** PUT /applications/:app/commands */
  global: RESTPutAPIApplicationCommandsJSONBody;
  /** PUT /applications/:app/guilds/:triageGuild/commands */
  triage: RESTPutAPIApplicationCommandsJSONBody;
}

/** Builds Discord's registration JSON from the command declarations. */
export function toDiscordJSON(defs: readonly AnyCommand[]): DiscordRegistration {
  return {
    global: defs.filter((d) => d.audience === 'everyone').map((d) => toJSON(d, 'global')),
    triage: defs.filter((d) => d.audience === 'triage').map((d) => toJSON(d, 'guild')),
  };
}

/** The same commands registered to one guild (development: guild commands update at once). */
export function toGuildJSON(defs: readonly AnyCommand[], includeTriage: boolean): RESTPutAPIApplicationCommandsJSONBody {
  return defs.filter((d) => d.audience === 'everyone' || includeTriage).map((d) => toJSON(d, 'guild'));
}
