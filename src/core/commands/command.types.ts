/**
 * The shape of a command declaration (see commands/). One declaration drives Discord's slash
 * command registration, Telegram's setMyCommands, help texts and argument parsing.
 */
import type { z } from 'zod';
import type { MessageKey } from '../i18n/catalog.ts';
import type { CoreContext } from '../context.ts';
import type { CoreError } from '../errors.ts';
import type { Reply } from '../reply.ts';
import type { Result } from '../result.ts';

/** Where a suggestion list for an option comes from. */
export type AutocompleteSource = 'places' | 'stations';

/** One option of a command. Names are snake_case. */
export interface OptionDef<S extends z.ZodType = z.ZodType> {
  /** 'file': an attachment (Discord attachment option; Telegram/console: a file sent in the chat), passed as an IncomingFile */
  kind: 'string' | 'file';
  schema: S;
  description: MessageKey;
  required: boolean;
  autocomplete?: AutocompleteSource;
  /** fixed choices (value + catalog key for the label) */
  choices?: readonly { value: string; label: MessageKey }[];
  /** max length the platform should enforce in its own UI */
  maxLength?: number;
}

/** A command handler: validated input in, reply or expected failure out. */
export type Handler<I> = (input: I, ctx: CoreContext) => Promise<Result<Reply, CoreError>>;

/** A command declaration. */
export interface CommandDef<O extends Record<string, OptionDef> = Record<string, OptionDef>> {
  name: string;
  description: MessageKey;
  /** a one-line usage example shown on bad input, e.g. "/lookup Prato" */
  usage: MessageKey;
  audience: 'everyone' | 'triage';
  where: 'anywhere' | 'private-only';
  options: O;
  handler: Handler<{ [K in keyof O]: z.output<O[K]['schema']> }>;
}

/** Any command, with its input type erased (for lists and dispatch). */
export type AnyCommand = CommandDef<Record<string, OptionDef>>;
