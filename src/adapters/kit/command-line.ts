/**
 * "/name@bot args" as typed in a chat or a terminal, split into its parts. Every adapter that
 * reads typed commands (Telegram messages, Discord DMs, the console) parses them here, so the
 * same line means the same command everywhere.
 */

/** A typed command: its name as typed (the core lower-cases it), the "@bot" it addresses, and the rest. */
export interface CommandLine {
  name: string;
  /** the bot named after "@" (Telegram groups: "/lookup@OurBot"), if any */
  target?: string;
  args: string;
}

/** A declared command name (`^[a-z0-9_]{1,32}$`, any case), an optional "@target", then whitespace and the arguments. */
const DECLARED = /^\/([A-Za-z0-9_]{1,32})(?:@(\S+))?(?:\s+([\s\S]*))?$/;
/** Any name up to a space or "@": an unknown name reaches the core, which answers "unknown command". */
const ANY = /^\/([^\s@]+)(?:@(\S+))?\s*([\s\S]*)$/;

/**
 * Parses one typed line, or returns undefined when it is not a command (free text).
 * With `anyName`, "/what-is-this" is a command too (the console answers it with "unknown command"
 * rather than taking it as an answer to a report step).
 * @example parseCommandLine('/lookup@LanternBot New York') // { name: 'lookup', target: 'LanternBot', args: 'New York' }
 */
export function parseCommandLine(text: string, opts: { anyName?: boolean } = {}): CommandLine | undefined {
  const m = (opts.anyName ? ANY : DECLARED).exec(text);
  if (!m) return undefined;
  return { name: m[1]!, ...(m[2] === undefined ? {} : { target: m[2] }), args: m[3] ?? '' };
}
