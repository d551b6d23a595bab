/**
 * The platform-neutral response every core handler returns. Adapters only render it:
 * console as text, Telegram as HTML messages, Discord as embeds.
 */
import type { ErrorCode } from './errors.ts';
import type { Locale } from './i18n/locales.ts';

/** A numbered reference to a source, with the verbatim quote that supports the statement. */
export interface Citation {
  n: number;
  claimId: string;
  sourceId: string;
  publisher: string;
  title: string;
  /** "YYYY-MM-DD", "YYYY-MM", "YYYY" or "unknown" */
  date: string;
  dateApproximate: boolean;
  /** null when the source's URL is unknown */
  url: string | null;
  quote: string;
}

/** One piece of a reply. `cites` are citation numbers shown after the text, like [1][2]. */
export type Block =
  | { type: 'title'; text: string }
  | { type: 'text'; text: string; cites?: number[] }
  | { type: 'item'; title: string; lines: { text: string; cites?: number[] }[] }
  | { type: 'notice'; text: string };

/** A button or menu entry: `id` is the opaque payload the adapter sends back. */
export interface Choice {
  id: string;
  label: string;
}

/** What a command answers. */
export interface Reply {
  /** true: show only to the person (ephemeral on Discord, private chat on Telegram) */
  private: boolean;
  /** "error" replies are expected failures, rendered the same but counted apart */
  kind: 'answer' | 'error';
  /** stable code of an expected failure, for adapters and tests */
  code?: ErrorCode;
  blocks: Block[];
  citations: Citation[];
  choices?: Choice[];
  /** a language change the adapter should remember for the person */
  setLocale?: Locale;
  /**
   * The next free text the person sends answers this (a conversation step). Discord shows a
   * button opening a modal with this field; Telegram and the console just read the next message.
   */
  prompt?: { field: string; label: string; maxLength: number; multiline: boolean };
  /** the person may now send an image file (evidence) */
  acceptsFile?: boolean;
  /** part of a private conversation: the adapter reports the sent message ids with Lantern.recordSent */
  track?: boolean;
  /** platform message ids (earlier recorded) the adapter should delete in this private chat */
  deleteMessages?: string[];
  /**
   * The person's message this answers (a typed answer, an image, a receipt code) is now sealed in
   * storage or is a secret: the adapter deletes it from the chat where a bot may (Telegram's
   * private chats, within 48 hours), so a searched phone does not show it.
   */
  inputTaken?: boolean;
  /** the message whose button was pressed is to be deleted (the receipt, once the code is saved) */
  deleteChoiceMessage?: boolean;
  /**
   * Decrypted report content: the adapter removes the sent messages from the chat after this
   * many seconds where the platform allows (Telegram), so an unlocked phone shows less later.
   */
  deleteAfterSeconds?: number;
  /** files to send with the reply (evidence, exports); only ever in private replies */
  files?: { name: string; mime: string; bytes: Uint8Array }[];
  /** a picture that belongs to the answer (a /map): public like its text, unlike `files` */
  image?: ReplyImage;
}

/** A rendered picture sent with a reply's text (Telegram photo, Discord embed image, console file). */
export interface ReplyImage {
  name: string;
  mime: 'image/png';
  bytes: Uint8Array;
  width: number;
  height: number;
  /** what it shows, in the person's language (alt text / file description) */
  alt: string;
}

/** A reply with text only. */
export function textReply(text: string, opts: { private?: boolean } = {}): Reply {
  return { private: opts.private ?? false, kind: 'answer', blocks: [{ type: 'text', text }], citations: [] };
}
