/**
 * The one path every command takes, whatever the platform: where/audience checks, input parsing
 * with zod, the handler, and expected failures turned into localized replies.
 */
import { z } from 'zod';
import type { CoreContext } from '../context.ts';
import { coreError, errorMessage, type CoreError } from '../errors.ts';
import { t } from '../i18n/catalog.ts';
import type { Reply } from '../reply.ts';
import type { CommandChoiceId } from '../choice-id.ts';
import type { AnyCommand } from './command.types.ts';
import { hasInvisible } from '../text-input.ts';

/** Turns an expected failure into a reply in the actor's language. */
export function errorReply(e: CoreError, ctx: CoreContext, opts: { private?: boolean; usage?: string } = {}): Reply {
  const blocks: Reply['blocks'] = [{ type: 'text', text: errorMessage(e, ctx.actor.locale) }];
  if (opts.usage) blocks.push({ type: 'notice', text: t(ctx.actor.locale, 'common.usage', { usage: opts.usage }) });
  return { private: opts.private ?? false, kind: 'error', code: e.code, blocks, citations: [] };
}

/** Validates raw option values (strings from any platform) against the declaration. */
export function parseInput(
  cmd: AnyCommand,
  raw: Record<string, unknown>,
): { ok: true; value: Record<string, unknown> } | { ok: false; error: CoreError } {
  const schema = inputSchema(cmd);
  const shape = schema.shape;
  const cleaned: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw))
    if (k in shape && v !== undefined && v !== '') cleaned[k] = typeof v === 'string' ? v.normalize('NFC') : v;
  // The same text rules on every platform, whether the value came typed or as a slash option:
  // an invisible format character could hide or reorder what a triager reads.
  const hidden = Object.entries(cleaned).find(([, v]) => typeof v === 'string' && hasInvisible(v));
  if (hidden) return { ok: false, error: coreError('INPUT.CONTROL_CHARS', { option: hidden[0] }) };
  const parsed = schema.safeParse(cleaned);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issue = parsed.error.issues[0]!;
  const option = String(issue.path[0] ?? '');
  if (issue.code === 'too_big') return { ok: false, error: coreError('INPUT.TOO_LONG', { option, max: Number(issue.maximum) }) };
  if (issue.code === 'too_small' || (issue.code === 'invalid_type' && cleaned[option] === undefined))
    return { ok: false, error: coreError('INPUT.EMPTY', { option }) };
  return { ok: false, error: coreError('INPUT.INVALID', { option }) };
}

// One schema per command, built once: zod compiles an object schema on its first parse, which
// per request was a measurable share of an adapter's CPU time.
const schemas = new WeakMap<AnyCommand, z.ZodObject<Record<string, z.ZodType>>>();
function inputSchema(cmd: AnyCommand): z.ZodObject<Record<string, z.ZodType>> {
  let schema = schemas.get(cmd);
  if (!schema) {
    const shape: Record<string, z.ZodType> = {};
    for (const [name, opt] of Object.entries(cmd.options)) shape[name] = opt.required ? opt.schema : opt.schema.optional();
    schemas.set(cmd, (schema = z.object(shape)));
  }
  return schema;
}

/** Splits a text command's argument string over the declared options (the last takes the rest). */
export function parseTextArgs(cmd: AnyCommand, text: string): Record<string, string> {
  const names = Object.keys(cmd.options);
  const out: Record<string, string> = {};
  let rest = text.trim();
  names.forEach((name, i) => {
    if (!rest) return;
    if (i === names.length - 1) {
      out[name] = rest;
      rest = '';
    } else {
      const m = /^(\S+)\s*([\s\S]*)$/.exec(rest)!;
      out[name] = m[1]!;
      rest = m[2]!;
    }
  });
  return out;
}

/** Runs a command for an actor: the single entry point adapters call. */
export async function runCommand(cmd: AnyCommand, raw: Record<string, unknown>, ctx: CoreContext): Promise<Reply> {
  const sensitive = cmd.where === 'private-only' || cmd.audience === 'triage';
  const usage = t(ctx.actor.locale, cmd.usage);
  if (cmd.audience === 'triage' && !ctx.actor.triage) return errorReply(coreError('TRIAGE.FORBIDDEN'), ctx, { private: true });
  if (cmd.where === 'private-only' && ctx.chat !== 'private') {
    const reply = errorReply(coreError('COMMAND.PRIVATE_ONLY', { command: cmd.name }), ctx, { private: true });
    // Whatever was typed with it (a receipt code…) now sits in a shared chat: say to delete it.
    if (Object.values(raw).some((v) => typeof v === 'string' && v.trim()))
      reply.blocks.push({ type: 'notice', text: t(ctx.actor.locale, 'error.private_only_delete') });
    return reply;
  }
  const input = parseInput(cmd, raw);
  if (!input.ok) return errorReply(input.error, ctx, { private: sensitive, usage });
  const result = await cmd.handler(input.value, ctx);
  if (result.ok) return result.value;
  return errorReply(result.error, ctx, { private: sensitive });
}

/**
 * Runs a command choice ("<command>:<value>", see choice-id.ts): the command with the value as its
 * first option. An id that did not decode (null: tampered, stale, from another version) or names
 * no command with an option gets INPUT.INVALID.
 */
export async function runChoice(commands: readonly AnyCommand[], choice: CommandChoiceId | null, ctx: CoreContext): Promise<Reply> {
  const cmd = choice ? commands.find((c) => c.name === choice.command) : undefined;
  const first = cmd ? Object.keys(cmd.options)[0] : undefined;
  if (!choice || !cmd || !first) return errorReply(coreError('INPUT.INVALID', { option: 'choice' }), ctx, { private: true });
  return runCommand(cmd, { [first]: choice.value }, ctx);
}
