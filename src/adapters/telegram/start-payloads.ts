/**
 * "/start <payload>": Telegram's deep links into the private chat. A command's name, "l-<place>"
 * (the full answer of an inline result) or "c-<name args>" (a group answer kept to one message).
 */
import type { CoreContext } from '../../core/context.ts';
import type { Lantern } from '../../core/lantern.ts';
import type { Reply } from '../../core/reply.ts';

/** "/start l-<base64url place>": the "full answer" link of a shortened inline result. */
const LOOKUP_PAYLOAD = /^l-([A-Za-z0-9_-]{1,62})$/;
/** "/start c-<base64url "name args">": the "full answer" link of a group answer kept to one message. */
const COMMAND_PAYLOAD = /^c-([A-Za-z0-9_-]{1,62})$/;
/** Telegram's limit on a start parameter. */
const MAX_PAYLOAD = 64;

/** "name args" → [name, args]. */
function splitLine(line: string): [string, string] {
  const at = line.search(/\s/);
  return at < 0 ? [line, ''] : [line.slice(0, at), line.slice(at + 1)];
}

/** The /start payload that repeats a command in a private chat, when it fits Telegram's 64 characters. */
export function commandPayload(name: string, args: string): string | undefined {
  const payload = `c-${Buffer.from(args.trim() ? `${name} ${args.trim()}` : name, 'utf8').toString('base64url')}`;
  return payload.length <= MAX_PAYLOAD ? payload : undefined;
}

/** The /start payload of a place's full lookup (the caller checks that it fits). */
export const lookupPayload = (place: string) => `l-${Buffer.from(place, 'utf8').toString('base64url')}`;

/** "/start" and its deep-link payloads; plain "/start" (or anything unknown) shows help. */
export async function start(lantern: Lantern, payload: string, ctx: CoreContext): Promise<{ reply: Reply; command: string }> {
  if (/^[a-z0-9_]{1,32}$/.test(payload) && payload !== 'start' && lantern.find(payload))
    return { reply: await lantern.commandLine(payload, '', ctx), command: payload };
  const place = LOOKUP_PAYLOAD.exec(payload);
  if (place)
    return {
      reply: await lantern.command('lookup', { place: Buffer.from(place[1]!, 'base64url').toString('utf8') }, ctx),
      command: 'lookup',
    };
  const line = COMMAND_PAYLOAD.exec(payload);
  const [name = '', args = ''] = line ? splitLine(Buffer.from(line[1]!, 'base64url').toString('utf8')) : [];
  if (name && name !== 'start' && lantern.find(name)) return { reply: await lantern.commandLine(name, args, ctx), command: name };
  return { reply: await lantern.commandLine('help', '', ctx), command: 'help' };
}
