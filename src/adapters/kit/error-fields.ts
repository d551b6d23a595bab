/**
 * An error as log fields. Logs must never carry what people typed, and an error's message can
 * quote it (a database error quotes the query, a validation error the value): only the platform
 * API's method and code, or the error's name and code locations, are logged.
 */

/** Log fields of one error. */
export type ErrorFields = Record<string, unknown>;

/** Recognises a platform library's API errors (method, code) and returns their fields; undefined for anything else. */
export type PlatformErrorFields = (e: unknown) => ErrorFields | undefined;

/** How many stack frames are kept: enough to find the line, not a whole trace per failure. */
const FRAMES = 5;

/**
 * The fields for `error`: the platform's own description when `platform` recognises it, else the
 * name and the first code locations (the "at …" lines, never the message line).
 * @example log.error({ update: 17, err: errorFields(e, grammyErrorFields) }, 'telegram update failed')
 */
export function errorFields(error: unknown, platform?: PlatformErrorFields): ErrorFields {
  const known = platform?.(error);
  if (known) return known;
  if (error instanceof Error) {
    const at = (error.stack ?? '')
      .split('\n')
      .filter((l) => /^\s+at /.test(l))
      .slice(0, FRAMES)
      .map((l) => l.trim());
    const code = (error as { code?: unknown }).code;
    return { name: error.name, ...(typeof code === 'string' || typeof code === 'number' ? { code } : {}), at };
  }
  return { name: typeof error };
}
