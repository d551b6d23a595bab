/**
 * The ids of buttons and menu choices: one grammar, an encoder per kind, one decoder.
 *
 * An id is "<prefix>:<rest>". The prefix names the kind:
 *   - "rp:<version>:<action>[:<arg>]"    a step of the report in progress (intake)
 *   - "mb:<action>"                      the reporter's mailbox (the session names the report)
 *   - "tr:<action>:<R-ID>[:<arg>]"       a triage button on one report
 *   - "msg:delete"                       delete the message the button sits under (the receipt)
 *   - "<command>:<value>"                anything else: run the command with the value as its
 *                                        first option ("lookup:Prato #2", "sources:Prato")
 *
 * These are the formats emitted since the first release (Telegram keeps old keyboards for ever),
 * so they must not change. Every id fits both platforms: Telegram's callback_data holds 64 bytes
 * and Discord's custom_id 100 characters, so the limit is 64 bytes of UTF-8; an encoder refuses
 * anything longer with a ChoiceIdError, and the decoder does not accept it.
 *
 * @example
 *   encodeTriageChoice('status', 'R-ABC123', 'in_review')  // "tr:status:R-ABC123:in_review"
 *   decodeChoiceId('mb:reply')                              // { ok: true, value: { kind: 'mailbox', action: 'reply' } }
 */
import { err, ok, type Result } from './result.ts';

/** Telegram's limit for callback_data, in bytes of UTF-8. */
export const TELEGRAM_CALLBACK_DATA_MAX_BYTES = 64;
/** Discord's limit for a component's custom_id (and a select option's value), in characters. */
export const DISCORD_CUSTOM_ID_MAX_CHARS = 100;

/** The prefix of each kind that has one (commands are named by themselves). */
export const CHOICE_PREFIXES = { intake: 'rp', mailbox: 'mb', triage: 'tr', message: 'msg' } as const;

/** Mailbox buttons: answer the team, add evidence, close the mailbox, turn the status notice on or off. */
export const MAILBOX_ACTIONS = ['reply', 'evidence', 'done', 'news-on', 'news-off'] as const;
/** A mailbox button's action. */
export type MailboxChoiceAction = (typeof MAILBOX_ACTIONS)[number];

/** Triage buttons (the rest of the triage actions are typed commands). */
export const TRIAGE_BUTTON_ACTIONS = ['view', 'claim', 'status', 'link', 'evidence'] as const;
/** A triage button's action. */
export type TriageChoiceAction = (typeof TRIAGE_BUTTON_ACTIONS)[number];

/** A report's step button: the draft's version (a stale button is detected), the action and its argument. */
export interface IntakeChoiceId {
  kind: 'intake';
  version: number;
  action: string;
  arg?: string;
}
/** A mailbox button. */
export interface MailboxChoiceId {
  kind: 'mailbox';
  action: MailboxChoiceAction;
}
/** A triage button on one report (`arg`: the next status, or the station to link). */
export interface TriageChoiceId {
  kind: 'triage';
  action: TriageChoiceAction;
  publicId: string;
  arg?: string;
}
/** The receipt's "delete this message" button. */
export interface DeleteMessageChoiceId {
  kind: 'delete-message';
}
/** A command run with `value` as its first option (a "More" page, a language, a topic). */
export interface CommandChoiceId {
  kind: 'command';
  command: string;
  value: string;
}

/** A decoded choice id. */
export type ChoiceId = IntakeChoiceId | MailboxChoiceId | TriageChoiceId | DeleteMessageChoiceId | CommandChoiceId;
/** The kinds of choice id. */
export type ChoiceKind = ChoiceId['kind'];

/** Why an id does not decode, and the kind its prefix claims (its use case answers the error). */
export interface MalformedChoiceId {
  claimed: Exclude<ChoiceKind, 'delete-message'>;
  reason: string;
}

/** A choice id that cannot be built: a bug in the caller or data that does not fit a button. */
export class ChoiceIdError extends Error {
  override name = 'ChoiceIdError';
}

const INTAKE_ACTION = /^[a-z_]{1,16}$/;
const INTAKE_ARG = /^[a-z0-9_]{1,32}$/;
const INTAKE_VERSION_MAX = 999_999_999; // 9 digits
const REPORT_ID = /^R-[0-9A-Z]{6}$/;
const TRIAGE_ARG = /^[a-z0-9_-]{1,64}$/;
const COMMAND_NAME = /^[a-z0-9_]{1,32}$/;
const DELETE_MESSAGE = `${CHOICE_PREFIXES.message}:delete`;
const RESERVED: ReadonlySet<string> = new Set(Object.values(CHOICE_PREFIXES));

const utf8 = new TextEncoder();

/** Whether a string fits both platforms' limits for a choice id. */
export function fitsChoiceId(id: string): boolean {
  return id.length <= DISCORD_CUSTOM_ID_MAX_CHARS && utf8.encode(id).length <= TELEGRAM_CALLBACK_DATA_MAX_BYTES;
}

/**
 * The longest dataset id (an ASCII slug) that fits every button built from it: a triage "link to
 * this station" button ("tr:link:R-XXXXXX:<station>", 17 bytes besides the id) and a topic's
 * "More" page ("tactics:<topic> p99").
 */
export const BUTTON_SLUG_MAX = Math.min(
  TELEGRAM_CALLBACK_DATA_MAX_BYTES - 'tr:link:R-XXXXXX:'.length,
  TELEGRAM_CALLBACK_DATA_MAX_BYTES - 'tactics: p99'.length,
);

function checked(id: string): string {
  if (!fitsChoiceId(id))
    throw new ChoiceIdError(
      `The choice id "${id.slice(0, 80)}${id.length > 80 ? '…' : ''}" is ${utf8.encode(id).length} bytes: a button's id must fit Telegram's callback_data (${TELEGRAM_CALLBACK_DATA_MAX_BYTES} bytes of UTF-8) and Discord's custom_id (${DISCORD_CUSTOM_ID_MAX_CHARS} characters). Shorten the value it carries.`,
    );
  return id;
}

function refuse(what: string, value: unknown, rule: string): never {
  throw new ChoiceIdError(`Cannot build a choice id: the ${what} ${JSON.stringify(value)} is not ${rule}.`);
}

/** "rp:<version>:<action>[:<arg>]", e.g. encodeIntakeChoice(3, 'cat', 'threat') → "rp:3:cat:threat". */
export function encodeIntakeChoice(version: number, action: string, arg?: string): string {
  if (!Number.isInteger(version) || version < 0 || version > INTAKE_VERSION_MAX)
    refuse('draft version', version, `an integer from 0 to ${INTAKE_VERSION_MAX}`);
  if (!INTAKE_ACTION.test(action)) refuse('intake action', action, `${INTAKE_ACTION}`);
  if (arg !== undefined && !INTAKE_ARG.test(arg)) refuse('intake argument', arg, `${INTAKE_ARG}`);
  return checked([CHOICE_PREFIXES.intake, version, action, ...(arg === undefined ? [] : [arg])].join(':'));
}

/** "mb:<action>", e.g. encodeMailboxChoice('reply') → "mb:reply". */
export function encodeMailboxChoice(action: MailboxChoiceAction): string {
  if (!(MAILBOX_ACTIONS as readonly string[]).includes(action)) refuse('mailbox action', action, `one of ${MAILBOX_ACTIONS.join(', ')}`);
  return checked(`${CHOICE_PREFIXES.mailbox}:${action}`);
}

/** "tr:<action>:<R-ID>[:<arg>]" (an empty `arg` is left out), e.g. encodeTriageChoice('link', 'R-ABC123', 'it-prato'). */
export function encodeTriageChoice(action: TriageChoiceAction, publicId: string, arg?: string): string {
  if (!(TRIAGE_BUTTON_ACTIONS as readonly string[]).includes(action))
    refuse('triage button action', action, `one of ${TRIAGE_BUTTON_ACTIONS.join(', ')}`);
  if (!REPORT_ID.test(publicId)) refuse('report id', publicId, 'of the form R-XXXXXX');
  if (arg && !TRIAGE_ARG.test(arg)) refuse('triage argument', arg, `${TRIAGE_ARG}`);
  return checked([CHOICE_PREFIXES.triage, action, publicId, ...(arg ? [arg] : [])].join(':'));
}

/** "msg:delete": the receipt's button that deletes the message it sits under. */
export function encodeDeleteMessageChoice(): string {
  return DELETE_MESSAGE;
}

/** Whether `command:value` fits a button (see encodeCommandChoice). */
export function fitsCommandChoice(command: string, value: string): boolean {
  return fitsChoiceId(`${command}:${value}`);
}

/** "<command>:<value>": runs the command with `value` as its first option, e.g. encodeCommandChoice('lookup', 'Prato #2'). */
export function encodeCommandChoice(command: string, value: string): string {
  if (!COMMAND_NAME.test(command)) refuse('command name', command, `${COMMAND_NAME}`);
  if (RESERVED.has(command)) refuse('command name', command, `one of the reserved prefixes (${[...RESERVED].join(', ')})`);
  return checked(`${command}:${value}`);
}

/** Encodes any decoded choice id (the inverse of decodeChoiceId). */
export function encodeChoiceId(choice: ChoiceId): string {
  switch (choice.kind) {
    case 'intake':
      return encodeIntakeChoice(choice.version, choice.action, choice.arg);
    case 'mailbox':
      return encodeMailboxChoice(choice.action);
    case 'triage':
      return encodeTriageChoice(choice.action, choice.publicId, choice.arg);
    case 'delete-message':
      return encodeDeleteMessageChoice();
    case 'command':
      return encodeCommandChoice(choice.command, choice.value);
    default: {
      const never: never = choice;
      return never;
    }
  }
}

const INTAKE_ID = /^rp:(\d{1,9}):([a-z_]{1,16})(?::([a-z0-9_]{1,32}))?$/;
const TRIAGE_ID = /^tr:(view|claim|status|link|evidence):(R-[0-9A-Z]{6})(?::([a-z0-9_-]{1,64}))?$/;
const COMMAND_ID = /^([a-z0-9_]{1,32}):([\s\S]*)$/;

/**
 * Decodes a choice id sent back by a platform. Anything that is not exactly what an encoder
 * builds (tampered, stale, from another version, too long) is an error naming the kind its
 * prefix claims, so that use case can answer it.
 */
export function decodeChoiceId(id: string): Result<ChoiceId, MalformedChoiceId> {
  const prefix = id.slice(0, Math.max(0, id.indexOf(':')));
  const claimed: MalformedChoiceId['claimed'] =
    prefix === CHOICE_PREFIXES.intake
      ? 'intake'
      : prefix === CHOICE_PREFIXES.mailbox
        ? 'mailbox'
        : prefix === CHOICE_PREFIXES.triage
          ? 'triage'
          : 'command';
  const bad = (reason: string) => err<MalformedChoiceId>({ claimed, reason });
  if (!fitsChoiceId(id)) return bad('too long');
  switch (claimed) {
    case 'intake': {
      const m = INTAKE_ID.exec(id);
      if (!m) return bad('not rp:<version>:<action>[:<arg>]');
      return ok({ kind: 'intake', version: Number(m[1]), action: m[2]!, ...(m[3] === undefined ? {} : { arg: m[3] }) });
    }
    case 'mailbox': {
      const action = id.slice(prefix.length + 1);
      return (MAILBOX_ACTIONS as readonly string[]).includes(action)
        ? ok({ kind: 'mailbox', action: action as MailboxChoiceAction })
        : bad('not a mailbox action');
    }
    case 'triage': {
      const m = TRIAGE_ID.exec(id);
      if (!m) return bad('not tr:<action>:<R-ID>[:<arg>]');
      return ok({ kind: 'triage', action: m[1] as TriageChoiceAction, publicId: m[2]!, ...(m[3] === undefined ? {} : { arg: m[3] }) });
    }
    case 'command': {
      if (id === DELETE_MESSAGE) return ok({ kind: 'delete-message' });
      const m = COMMAND_ID.exec(id);
      if (!m) return bad('not <command>:<value>');
      if (RESERVED.has(m[1]!)) return bad(`"${m[1]}" is a reserved prefix`);
      return ok({ kind: 'command', command: m[1]!, value: m[2]! });
    }
  }
}
