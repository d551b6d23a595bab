/**
 * Interactions: slash commands, autocomplete, buttons, selects and modals, each turned into one
 * Lantern call and answered by ./answer.ts, behind the one error boundary for interactions.
 */
import {
  ApplicationCommandOptionType,
  MessageFlags,
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type Interaction,
  type ModalSubmitInteraction,
  type StringSelectMenuInteraction,
} from 'discord.js';
import { answersPrivately, commandChat } from '../../core/commands/chat-kind.ts';
import type { CoreContext } from '../../core/context.ts';
import { t } from '../../core/i18n/catalog.ts';
import { toLocale } from '../../core/i18n/locales.ts';
import { textReply } from '../../core/reply.ts';
import { errorFields } from '../kit/error-fields.ts';
import { answer } from './answer.ts';
import { DISCORD_CAPABILITIES } from './capabilities.ts';
import { downloadAttachment } from './files.ts';
import { placeOf, quickLocale } from './people.ts';
import { CustomId, DC, MODAL_ID, MODAL_TEXT_ID, parsePromptId, promptModal, renderReply, SelectId, toPayload } from './render.ts';
import { discordErrorFields, firstResponse } from './rest.ts';
import type { DiscordState } from './state.ts';

/**
 * An id Discord could not have sent (longer than 100 characters, or an unknown "dc:" id): the
 * core answers an unparseable id with its clear, private INPUT.INVALID reply.
 */
const UNPARSEABLE_CHOICE = '';

async function onCommand(s: DiscordState, i: ChatInputCommandInteraction): Promise<void> {
  const cmd = s.lantern.find(i.commandName);
  const place = placeOf(i) === 'dm' ? 'private' : 'public';
  // Known before the answer (a private-only command in a server runs in private, triage answers
  // are private): a defer is ephemeral too.
  await answer(s, i, commandChat(cmd, place, DISCORD_CAPABILITIES), answersPrivately(cmd), async (ctx) => {
    const raw: Record<string, unknown> = {};
    for (const o of i.options.data) {
      if (o.type === ApplicationCommandOptionType.String) raw[o.name] = o.value;
      // over the evidence limit it is not downloaded, and the core refuses it by its size
      else if (o.type === ApplicationCommandOptionType.Attachment && o.attachment)
        raw[o.name] = await downloadAttachment(o.attachment, s.maxBytes);
    }
    return s.lantern.command(i.commandName, raw, ctx);
  });
}

async function onAutocomplete(s: DiscordState, i: AutocompleteInteraction): Promise<void> {
  const focused = i.options.getFocused(true);
  const source = s.lantern.find(i.commandName)?.options[focused.name]?.autocomplete;
  const respond = (choices: { name: string; value: string }[]) =>
    firstResponse(
      () => i.respond(choices),
      () => (i.responded = true),
    );
  if (!source) return void (await respond([]));
  // Autocomplete cannot be deferred: the suggestions come from memory (the dataset), the
  // language from memory within a time box, whatever the database does.
  const locale = await quickLocale(s, i);
  const suggestions = s.lantern.autocomplete(source, String(focused.value), locale, s.app.deps.dataset());
  await respond(suggestions.slice(0, 25).map((x) => ({ name: x.label.slice(0, 100), value: x.value.slice(0, 100) })));
}

/** A component's message is private when it is ephemeral or in the DM. */
const componentChat = (i: ButtonInteraction | StringSelectMenuInteraction | ModalSubmitInteraction): CoreContext['chat'] =>
  placeOf(i) === 'dm' || i.message?.flags.has(MessageFlags.Ephemeral) ? 'private' : 'public';

async function onButton(s: DiscordState, i: ButtonInteraction): Promise<void> {
  const prompt = parsePromptId(i.customId);
  if (prompt) {
    // A modal cannot follow a defer: it opens within the deadline, in the language at hand.
    const locale = await quickLocale(s, i);
    return void (await firstResponse(
      () => i.showModal(promptModal(prompt, locale)),
      () => (i.replied = true),
    ));
  }
  const valid = CustomId.safeParse(i.customId).success && !i.customId.startsWith(DC);
  await answer(s, i, componentChat(i), false, (ctx) => s.lantern.choice(valid ? i.customId : UNPARSEABLE_CHOICE, ctx));
}

async function onSelect(s: DiscordState, i: StringSelectMenuInteraction): Promise<void> {
  const value = i.values[0] ?? '';
  const valid = SelectId.safeParse(i.customId).success && CustomId.safeParse(value).success && !value.startsWith(DC);
  await answer(s, i, componentChat(i), false, (ctx) => s.lantern.choice(valid ? value : UNPARSEABLE_CHOICE, ctx));
}

async function onModal(s: DiscordState, i: ModalSubmitInteraction): Promise<void> {
  const field = i.customId === MODAL_ID ? i.fields.fields.get(MODAL_TEXT_ID) : undefined;
  const text = field && 'value' in field && typeof field.value === 'string' ? field.value : '';
  await answer(s, i, componentChat(i), false, (ctx) => s.lantern.text(text, ctx));
}

/** The one error boundary for interactions: logged by interaction id, answered with an apology. */
export async function onInteraction(s: DiscordState, i: Interaction): Promise<void> {
  try {
    if (i.isAutocomplete()) await onAutocomplete(s, i);
    else if (i.isChatInputCommand()) await onCommand(s, i);
    else if (i.isButton()) await onButton(s, i);
    else if (i.isStringSelectMenu()) await onSelect(s, i);
    else if (i.isModalSubmit()) await onModal(s, i);
  } catch (error) {
    s.log.error({ interaction: i.id, interactionType: i.type, err: errorFields(error, discordErrorFields) }, 'discord interaction failed');
    if (i.isAutocomplete()) {
      if (!i.responded) await i.respond([]).catch(() => {});
      return;
    }
    if (!i.isRepliable()) return;
    // The database may be what failed: the apology uses the Discord client's language.
    const locale = toLocale(i.locale, s.app.config.defaultLocale);
    const apology = renderReply(textReply(t(locale, s.app.apologyFor(error)), { private: true }), locale).map((m) =>
      toPayload(m, placeOf(i) !== 'dm'),
    )[0]!;
    // After a defer the apology replaces "thinking…" (an edit); a follow-up only once something was sent.
    const { flags: _flags, ...edit } = apology;
    await (i.replied ? i.followUp(apology) : i.deferred ? i.editReply(edit) : i.reply(apology)).catch((e2: unknown) =>
      s.log.warn({ interaction: i.id, err: errorFields(e2, discordErrorFields) }, 'discord apology not delivered'),
    );
  }
}
