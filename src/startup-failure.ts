/**
 * The one line (or list) printed when start-up fails unexpectedly. An error's message is cut to
 * its first line (a stack or a quoted input has no place on the terminal), except for the
 * declaration check, whose message is the list of every offender to fix at once.
 */
import { UncompliantCommandsError } from '../commands/define.ts';

/** What `lantern:` is followed by on stderr when main() rejects. */
export function startupFailureMessage(e: unknown): string {
  if (e instanceof UncompliantCommandsError) return e.message;
  return `unexpected failure at start: ${String((e as Error | undefined)?.message ?? e).split('\n')[0]}`;
}
