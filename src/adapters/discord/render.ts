/**
 * Renders a platform-neutral Reply as Discord messages: embeds (split to respect Discord's
 * limits), numbered citations with their verbatim quotes, choices as buttons or a string select,
 * a conversation prompt as a button that opens a modal, and files. Pure: no client, no I/O.
 *
 * Custom ids the adapter makes itself start with "dc:" (core choice ids never do):
 * - `dc:p:<maxLength>:<s|m>:<label>`  a button that opens the modal for a prompt
 * - `dc:s:<n>`                         a string select whose option values are core choice ids
 * - `dc:modal` / `dc:text`             the modal and its text input
 */
import {
  ButtonStyle,
  ComponentType,
  LabelBuilder,
  MessageFlags,
  ModalBuilder,
  TextInputBuilder,
  TextInputStyle,
  type APIActionRowComponent,
  type APIComponentInMessageActionRow,
  type APIEmbed,
} from 'discord.js';
import { z } from 'zod';
import { t } from '../../core/i18n/catalog.ts';
import type { Locale } from '../../core/i18n/locales.ts';
import type { Citation, Reply } from '../../core/reply.ts';
import { safeCutIndex, splitUnits } from '../../core/text/split.ts';
import { citationDate, citeMarks } from '../kit/citations.ts';

/** Discord's limits that rendering respects (https://discord.com/developers/docs/resources/message). */
export const DISCORD_LIMITS = {
  embedTitle: 256,
  embedDescription: 4096,
  embedFields: 25,
  embedsPerMessage: 10,
  /** sum of every embed's title, description, fields, footer and author in one message */
  embedTotal: 6000,
  buttonsPerRow: 5,
  rows: 5,
  selectOptions: 25,
  buttonLabel: 80,
  selectLabel: 100,
  customId: 100,
  filesPerMessage: 10,
  /** "The maximum request size when sending a message is 25 MiB" (reference#uploading-files) */
  requestBytes: 25 * 1024 * 1024,
  /** a bot's per-file limit where no interaction says otherwise (channel messages, DMs) */
  fileBytes: 10 * 1024 * 1024,
  /** room kept in a request for its JSON (embeds ≤ 6,000 characters) and multipart framing */
  requestReserve: 256 * 1024,
  modalTitle: 45,
  textInputLabel: 45,
  textInputMax: 4000,
} as const;

/** The adapter's own custom-id namespace. */
export const DC = 'dc:';
export const MODAL_ID = 'dc:modal';
export const MODAL_TEXT_ID = 'dc:text';

/** Any custom id Discord can send back: 1-100 characters. */
export const CustomId = z.string().min(1).max(DISCORD_LIMITS.customId);
/** A prompt button's custom id. */
const PromptId = z.string().regex(/^dc:p:(\d{1,4}):([sm]):([\s\S]{1,45})$/);
/** A string select's custom id. */
export const SelectId = z.string().regex(/^dc:s:\d$/);

/** What one Discord message carries (flags and allowed mentions are added by `toPayload`). */
export interface DiscordMessage {
  embeds: APIEmbed[];
  components: APIActionRowComponent<APIComponentInMessageActionRow>[];
  files: { name: string; attachment: Buffer; description?: string }[];
}

const COLOR_ANSWER = 0x3b6ea5;
const COLOR_ERROR = 0xb45309;

const URL_IN_TEXT = /https?:\/\/[^\s<]+/g;

/** Escapes Markdown outside links (inline markers, masked links, headings, quotes, lists). */
function escapePlain(s: string): string {
  return s
    .replace(/[\\*_~`|[\]]/g, '\\$&')
    .replace(/^([ \t]*)(#{1,3} |-# |>>> |> |[-+] )/gm, (_m, space: string, marker: string) => `${space}\\${marker}`)
    .replace(/^([ \t]*)(\d+)\. /gm, (_m, space: string, n: string) => `${space}${n}\\. `);
}

/**
 * Text from the core (dataset quotes, people's own answers) shown exactly as written: Markdown is
 * escaped, links are left intact. Linear time (discord.js's escapeMarkdown is quadratic on long text).
 */
export function escapeText(s: string): string {
  let out = '';
  let last = 0;
  for (const m of s.matchAll(URL_IN_TEXT)) {
    out += escapePlain(s.slice(last, m.index)) + m[0];
    last = m.index + m[0].length;
  }
  return out + escapePlain(s.slice(last));
}
const escape = escapeText;
const marks = citeMarks;
const cut = (s: string, max: number) => (s.length <= max ? s : s.slice(0, safeCutIndex(s, max - 1)) + '…');

/** Splits text into pieces of at most `max` characters, at line breaks where possible. */
export function splitText(text: string, max: number): string[] {
  const out: string[] = [];
  let current = '';
  const push = () => {
    if (current) out.push(current);
    current = '';
  };
  for (const line of text.split('\n')) {
    if (line.length > max) {
      push();
      out.push(...splitUnits(line, max)); // never inside a surrogate pair
      continue;
    }
    if (current && current.length + 1 + line.length > max) push();
    current = current ? `${current}\n${line}` : line;
  }
  push();
  return out;
}

/** A citation as lines: "[n] publisher, “title” (date). link" then the verbatim quote, quoted. */
export function citationText(c: Citation, locale: Locale): string {
  const date = citationDate(c, locale);
  const line = t(locale, 'citation.line', {
    n: c.n,
    publisher: escape(c.publisher),
    title: escape(c.title),
    date,
    url: c.url ?? t(locale, 'citation.url_unknown'),
  });
  const quote = t(locale, 'citation.quote', { quote: escape(c.quote) });
  return `${line}\n${quote
    .split('\n')
    .map((l) => `> ${l}`)
    .join('\n')}`;
}

/** One section of embeds: an optional title and paragraphs, each ≤ the description limit. */
interface Section {
  title?: string;
  paragraphs: string[];
}

function sections(reply: Reply, locale: Locale): Section[] {
  const main: Section = { paragraphs: [] };
  const add = (text: string) => main.paragraphs.push(...splitText(text, DISCORD_LIMITS.embedDescription));
  for (const b of reply.blocks) {
    switch (b.type) {
      case 'title':
        if (main.title === undefined && !main.paragraphs.length && b.text.length <= DISCORD_LIMITS.embedTitle) main.title = b.text;
        else add(`**${escape(b.text)}**`);
        break;
      case 'text':
        add(escape(b.text) + marks(b.cites));
        break;
      case 'notice':
        add(
          b.text
            .split('\n')
            .map((l) => (l.trim() ? `*${escape(l)}*` : l))
            .join('\n'),
        );
        break;
      case 'item':
        add([`**${escape(b.title)}**`, ...b.lines.map((l) => `• ${escape(l.text)}${marks(l.cites)}`)].join('\n'));
        break;
      default: {
        const never: never = b;
        throw new Error(`unknown block ${JSON.stringify(never)}`);
      }
    }
  }
  const out: Section[] = [main];
  if (reply.citations.length)
    out.push({
      title: t(locale, 'citation.title'),
      paragraphs: reply.citations.flatMap((c) => splitText(citationText(c, locale), DISCORD_LIMITS.embedDescription)),
    });
  return out;
}

/** Packs sections into messages of at most 10 embeds and 6000 characters. */
function embedsIntoMessages(secs: Section[], color: number): APIEmbed[][] {
  const messages: APIEmbed[][] = [];
  let embeds: APIEmbed[] = [];
  let total = 0;
  let embed: APIEmbed | undefined;
  const newMessage = () => {
    if (embeds.length) messages.push(embeds);
    embeds = [];
    total = 0;
    embed = undefined;
  };
  const newEmbed = (title?: string) => {
    const size = title?.length ?? 0;
    if (embeds.length >= DISCORD_LIMITS.embedsPerMessage || total + size > DISCORD_LIMITS.embedTotal) newMessage();
    embed = { color, ...(title ? { title } : {}) };
    embeds.push(embed);
    total += size;
  };
  for (const sec of secs) {
    if (!sec.title && !sec.paragraphs.length) continue;
    newEmbed(sec.title);
    for (const p of sec.paragraphs) {
      const desc = embed!.description;
      const added = desc ? p.length + 2 : p.length;
      if ((desc?.length ?? 0) + added <= DISCORD_LIMITS.embedDescription && total + added <= DISCORD_LIMITS.embedTotal) {
        embed!.description = desc ? `${desc}\n\n${p}` : p;
        total += added;
        continue;
      }
      // a continuation embed (same colour, no title) in this message or the next
      if (embeds.length >= DISCORD_LIMITS.embedsPerMessage || total + p.length > DISCORD_LIMITS.embedTotal) newMessage();
      embed = { color, description: p };
      embeds.push(embed);
      total += p.length;
    }
  }
  newMessage();
  return messages;
}

/** The custom id of the button that opens the modal for a prompt. */
export function promptButtonId(prompt: NonNullable<Reply['prompt']>): string {
  const max = Math.min(Math.max(1, prompt.maxLength), DISCORD_LIMITS.textInputMax);
  return `dc:p:${max}:${prompt.multiline ? 'm' : 's'}:${cut(prompt.label, DISCORD_LIMITS.textInputLabel)}`;
}

/** Reads a prompt button's custom id back; undefined when it is not one. */
export function parsePromptId(id: string): { maxLength: number; multiline: boolean; label: string } | undefined {
  if (!PromptId.safeParse(id).success) return undefined;
  const m = /^dc:p:(\d{1,4}):([sm]):([\s\S]+)$/.exec(id)!;
  return { maxLength: Math.min(Math.max(1, Number(m[1])), DISCORD_LIMITS.textInputMax), multiline: m[2] === 'm', label: m[3]! };
}

function components(reply: Reply, locale: Locale): DiscordMessage['components'] {
  const rows: DiscordMessage['components'] = [];
  if (reply.prompt) {
    rows.push({
      type: ComponentType.ActionRow,
      components: [
        {
          type: ComponentType.Button,
          style: ButtonStyle.Primary,
          custom_id: promptButtonId(reply.prompt),
          label: cut(t(locale, 'discord.prompt_button', { field: reply.prompt.label }), DISCORD_LIMITS.buttonLabel),
        },
      ],
    });
  }
  const choices = reply.choices ?? [];
  for (const c of choices) {
    // Core ids never start with "dc:" and fit Discord's 100 characters; anything else is a core bug.
    if (!CustomId.safeParse(c.id).success || c.id.startsWith(DC))
      throw new Error(`choice id cannot be rendered on Discord (length ${c.id.length})`);
  }
  if (choices.length && choices.length <= DISCORD_LIMITS.buttonsPerRow) {
    rows.push({
      type: ComponentType.ActionRow,
      components: choices.map((c) => ({
        type: ComponentType.Button,
        style: ButtonStyle.Secondary,
        custom_id: c.id,
        label: cut(c.label, DISCORD_LIMITS.buttonLabel),
      })),
    });
  } else if (choices.length) {
    const room = DISCORD_LIMITS.rows - rows.length;
    for (let i = 0; i < room && i * DISCORD_LIMITS.selectOptions < choices.length; i++) {
      const part = choices.slice(i * DISCORD_LIMITS.selectOptions, (i + 1) * DISCORD_LIMITS.selectOptions);
      rows.push({
        type: ComponentType.ActionRow,
        components: [
          {
            type: ComponentType.StringSelect,
            custom_id: `dc:s:${i}`,
            placeholder: t(locale, 'discord.choose'),
            min_values: 1,
            max_values: 1,
            options: part.map((c) => ({ label: cut(c.label, DISCORD_LIMITS.selectLabel), value: c.id })),
          },
        ],
      });
    }
  }
  return rows;
}

/** Upload limits of where a reply goes: `attachment_size_limit` per file, 25 MiB a request. */
export interface UploadLimits {
  fileBytes: number;
  requestBytes: number;
}
const DEFAULT_UPLOADS: UploadLimits = { fileBytes: DISCORD_LIMITS.fileBytes, requestBytes: DISCORD_LIMITS.requestBytes };

type File = DiscordMessage['files'][number];

/**
 * Files in groups Discord accepts: at most 10 a message, their bytes within the request limit
 * (less room for the message's JSON). Files over the per-file limit cannot be sent at all.
 */
export function packFiles(files: File[], limits: UploadLimits): { groups: File[][]; unsent: File[] } {
  const budget = limits.requestBytes - DISCORD_LIMITS.requestReserve;
  const groups: File[][] = [];
  const unsent: File[] = [];
  let group: File[] = [];
  let bytes = 0;
  for (const f of files) {
    if (f.attachment.byteLength > Math.min(limits.fileBytes, budget)) {
      unsent.push(f);
      continue;
    }
    if (group.length >= DISCORD_LIMITS.filesPerMessage || bytes + f.attachment.byteLength > budget) {
      groups.push(group);
      group = [];
      bytes = 0;
    }
    group.push(f);
    bytes += f.attachment.byteLength;
  }
  if (group.length) groups.push(group);
  return { groups, unsent };
}

/** A notice for each file too large to be sent where the reply goes. */
function unsentNotices(unsent: File[], limits: UploadLimits, locale: Locale): Reply['blocks'] {
  const mb = (n: number) => (n / 1024 / 1024).toFixed(1);
  return unsent.map((f) => ({
    type: 'notice' as const,
    text: t(locale, 'discord.file_too_large', {
      name: f.name,
      size: mb(f.attachment.byteLength),
      limit: mb(Math.min(limits.fileBytes, limits.requestBytes)),
    }),
  }));
}

/**
 * The reply as Discord messages, in order. Components go on the last message (so they follow
 * the text they answer); files go on the last messages, packed within `uploads` (a file too large
 * for Discord is named in a notice instead).
 */
export function renderReply(reply: Reply, locale: Locale, uploads: UploadLimits = DEFAULT_UPLOADS): DiscordMessage[] {
  const { groups, unsent } = packFiles(
    (reply.files ?? []).map((f) => ({ name: f.name, attachment: Buffer.from(f.bytes) })),
    uploads,
  );
  const shown = unsent.length ? { ...reply, blocks: [...reply.blocks, ...unsentNotices(unsent, uploads, locale)] } : reply;
  const embedGroups = embedsIntoMessages(sections(shown, locale), reply.kind === 'error' ? COLOR_ERROR : COLOR_ANSWER);
  const messages: DiscordMessage[] = embedGroups.map((embeds) => ({ embeds, components: [], files: [] }));
  if (!messages.length) messages.push({ embeds: [], components: [], files: [] });
  for (const [n, part] of groups.entries()) {
    if (n === 0) messages[messages.length - 1]!.files.push(...part);
    else messages.push({ embeds: [], components: [], files: part });
  }
  if (reply.image) attachImage(messages[0]!, reply.image);
  messages[messages.length - 1]!.components = components(reply, locale);
  return messages;
}

/** Discord's file-name rule for `attachment://` references (https://discord.com/developers/docs/reference#uploading-files). */
const ATTACHMENT_NAME = /^[A-Za-z0-9_.-]{1,100}$/;

/** A reply's picture (a map) as the first embed's image, uploaded with that message. */
function attachImage(m: DiscordMessage, image: NonNullable<Reply['image']>): void {
  const name = ATTACHMENT_NAME.test(image.name) ? image.name : 'map.png';
  m.files.unshift({ name, attachment: Buffer.from(image.bytes), description: image.alt.slice(0, 1024) });
  if (!m.embeds.length) m.embeds.push({ color: COLOR_ANSWER });
  m.embeds[0] = { ...m.embeds[0], image: { url: `attachment://${name}` } };
}

/** What discord.js sends to a channel: the rendered message, never mentioning anyone. */
export function toMessage(m: DiscordMessage) {
  return { embeds: m.embeds, components: m.components, files: m.files, allowedMentions: { parse: [] as [] } };
}

/** What discord.js sends as an interaction response: the same, ephemeral when asked. */
export function toPayload(m: DiscordMessage, ephemeral: boolean) {
  return { ...toMessage(m), ...(ephemeral ? { flags: MessageFlags.Ephemeral as const } : {}) };
}

/** The modal that asks a prompt's question: one text input, Paragraph when multiline. */
export function promptModal(prompt: { maxLength: number; multiline: boolean; label: string }, locale: Locale): ModalBuilder {
  const input = new TextInputBuilder()
    .setCustomId(MODAL_TEXT_ID)
    .setStyle(prompt.multiline ? TextInputStyle.Paragraph : TextInputStyle.Short)
    .setMaxLength(prompt.maxLength)
    .setRequired(true);
  return new ModalBuilder()
    .setCustomId(MODAL_ID)
    .setTitle(cut(t(locale, 'discord.modal_title'), DISCORD_LIMITS.modalTitle))
    .addLabelComponents(new LabelBuilder().setLabel(cut(prompt.label, DISCORD_LIMITS.textInputLabel)).setTextInputComponent(input));
}
