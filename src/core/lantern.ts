/**
 * The core's front door for adapters. An adapter turns a platform event into one of these calls
 * with a CoreContext, and renders the Reply it gets back; it never reaches further into core.
 *
 * @example
 *   const lantern = new Lantern(allCommands);
 *   const reply = await lantern.command('lookup', { place: 'Prato' }, ctx);
 */
import type { AnyCommand, AutocompleteSource } from './commands/command.types.ts';
import { errorReply, parseTextArgs, runChoice, runCommand } from './commands/dispatch.ts';
import type { CoreContext } from './context.ts';
import { coreError } from './errors.ts';
import { t } from './i18n/catalog.ts';
import type { Locale } from './i18n/locales.ts';
import type { Block, Reply } from './reply.ts';
import { decodeChoiceId, type ChoiceId } from './choice-id.ts';
import { stationItem, suggestPlaces } from './lookup/lookup.handler.ts';
import { nearestStations } from './lookup/nearest.ts';
import { Citations } from './citations/citations.ts';
import type { DatasetView } from './dataset/dataset.view.ts';
import { fileTooLarge, isIncomingFile, type IncomingFile } from './incoming-file.ts';
import { intakeChoice, intakeFile, intakeText, pendingStep } from './intake/intake.service.ts';
import { triageChoice } from './triage/triage.service.ts';
import { mailboxChoice, mailboxFile, mailboxText } from './intake/mailbox.ts';

export type { IncomingFile } from './incoming-file.ts';

/** Commands whose typed line holds a receipt code: it should not stay in the chat. */
const SECRET_LINE_COMMANDS = new Set(['myreports', 'forget']);

const taken = (r: Reply): Reply => ({ ...r, inputTaken: true });

/** Commands that answer with the report's step themselves. */
const INTAKE_COMMANDS = new Set(['report', 'cancel', 'back', 'draft']);

/** Platform-neutral entry points for adapters. */
export class Lantern {
  constructor(readonly commands: readonly AnyCommand[]) {}

  /** The declaration of a command, if it exists. */
  find(name: string): AnyCommand | undefined {
    return this.commands.find((c) => c.name === name.toLowerCase());
  }

  /** Runs a command with raw option values (strings from a slash command or parsed text). */
  async command(name: string, raw: Record<string, unknown>, ctx: CoreContext): Promise<Reply> {
    const cmd = this.find(name);
    if (!cmd) return errorReply(coreError('COMMAND.UNKNOWN', { command: name }), ctx, { private: true });
    // A file option over the evidence limit is refused first: the adapter may not have downloaded it.
    const max = ctx.deps.intake?.settings.evidenceMaxBytes;
    const tooLarge =
      max === undefined
        ? undefined
        : Object.values(raw)
            .filter(isIncomingFile)
            .map((f) => fileTooLarge(f, max))
            .find(Boolean);
    if (tooLarge) return errorReply(tooLarge, ctx, { private: true });
    return runCommand(cmd, raw, ctx);
  }

  /** Runs a text command line such as "lookup New York" (no leading "/"). */
  async commandLine(name: string, args: string, ctx: CoreContext): Promise<Reply> {
    const cmd = this.find(name);
    if (!cmd) return errorReply(coreError('COMMAND.UNKNOWN', { command: name }), ctx, { private: true });
    const reply = await runCommand(cmd, parseTextArgs(cmd, args), ctx);
    return ctx.chat === 'private' && SECRET_LINE_COMMANDS.has(cmd.name) ? taken(reply) : reply;
  }

  /**
   * Runs a button / menu choice by its opaque id (src/core/choice-id.ts), routed by its kind; an
   * id that does not decode goes to the use case its prefix claims, which answers a clear error.
   */
  async choice(id: string, ctx: CoreContext): Promise<Reply> {
    const decoded = decodeChoiceId(id);
    const as = <K extends ChoiceId['kind']>(kind: K) =>
      decoded.ok && decoded.value.kind === kind ? (decoded.value as Extract<ChoiceId, { kind: K }>) : null;
    const kind = decoded.ok ? decoded.value.kind : decoded.error.claimed;
    switch (kind) {
      case 'delete-message':
        return {
          private: true,
          kind: 'answer',
          blocks: [{ type: 'text', text: t(ctx.actor.locale, 'intake.receipt_deleted') }],
          citations: [],
          deleteChoiceMessage: true,
        };
      case 'intake':
        if (ctx.chat !== 'private') return errorReply(coreError('COMMAND.PRIVATE_ONLY', { command: 'report' }), ctx, { private: true });
        return intakeChoice(as('intake'), ctx);
      case 'mailbox':
        if (ctx.chat !== 'private') return errorReply(coreError('COMMAND.PRIVATE_ONLY', { command: 'myreports' }), ctx, { private: true });
        return mailboxChoice(as('mailbox'), ctx);
      case 'triage':
        return triageChoice(as('triage'), ctx);
      case 'command':
        return runChoice(this.commands, as('command'), ctx);
      default: {
        const never: never = kind;
        return never;
      }
    }
  }

  /** Plain text that is not a command (in a private chat: the answer to a conversation step). */
  async text(text: string, ctx: CoreContext): Promise<Reply> {
    if (ctx.chat === 'private' && ctx.deps.intake) {
      // A mailbox waiting for an answer goes first: the person just pressed "Reply".
      const mailed = await mailboxText(text, ctx);
      if (mailed) return taken(mailed);
      const answered = await intakeText(text, ctx);
      if (answered) return taken(answered);
    }
    return {
      private: true,
      kind: 'error',
      code: 'COMMAND.NOT_A_COMMAND',
      blocks: [{ type: 'text', text: t(ctx.actor.locale, 'common.not_a_command') }],
      citations: [],
    };
  }

  /** A file sent in a private chat (evidence for a report in progress). */
  async file(file: IncomingFile, ctx: CoreContext): Promise<Reply> {
    if (ctx.chat !== 'private' || !ctx.deps.intake) return errorReply(coreError('REPORT.FILE_NOT_NOW'), ctx, { private: true });
    const reply = (await mailboxFile(file, ctx)) ?? (await intakeFile(file, ctx));
    // Without a report in progress nothing was taken: the person's file stays where they sent it.
    return reply.code === 'REPORT.NO_DRAFT' ? reply : taken(reply);
  }

  /**
   * A command's reply followed by the current step of a report in progress, asked again (the
   * person typed another command mid-report). The commands that drive the report itself, and
   * replies outside a private chat, are returned unchanged.
   */
  async withPendingStep(command: string, answer: Reply, ctx: CoreContext): Promise<Reply> {
    if (INTAKE_COMMANDS.has(command.toLowerCase())) return answer;
    const step = await pendingStep(ctx);
    if (!step) return answer;
    return {
      ...answer,
      blocks: [...answer.blocks, ...step.blocks],
      choices: [...(answer.choices ?? []), ...(step.choices ?? [])],
      ...(step.prompt ? { prompt: step.prompt } : {}),
      ...(step.acceptsFile ? { acceptsFile: true } : {}),
    };
  }

  /** Records the platform ids of messages sent for a `track`ed reply (so "forget me" can delete them). */
  async recordSent(ctx: CoreContext, messageIds: string[]): Promise<void> {
    if (messageIds.length && ctx.deps.intake) await ctx.deps.intake.drafts.addMessages(ctx.actor.id, messageIds);
  }

  /** Suggestions for an autocomplete option or an inline query. */
  autocomplete(source: AutocompleteSource, partial: string, locale: Locale, view: DatasetView): { value: string; label: string }[] {
    return suggestPlaces(view, partial.slice(0, 100), locale);
  }

  /** The nearest reported stations to a shared location. */
  nearest(lat: number, lon: number, ctx: CoreContext): Reply {
    const view = ctx.deps.dataset();
    const { locale } = ctx.actor;
    if (!Number.isFinite(lat) || !Number.isFinite(lon) || Math.abs(lat) > 90 || Math.abs(lon) > 180)
      return errorReply(coreError('INPUT.INVALID', { option: 'location' }), ctx, { private: true });
    const cites = new Citations(view);
    const blocks: Block[] = [
      { type: 'title', text: t(locale, 'nearest.title') },
      { type: 'notice', text: t(locale, 'lookup.allegations') },
    ];
    for (const { station, km } of nearestStations(view, lat, lon)) {
      const item = stationItem(view, station, locale, cites);
      item.lines.unshift({ text: t(locale, 'nearest.distance', { km: Math.round(km) }) });
      blocks.push(item);
    }
    blocks.push({ type: 'notice', text: t(locale, 'nearest.privacy') });
    return { private: true, kind: 'answer', blocks, citations: cites.all() };
  }
}
