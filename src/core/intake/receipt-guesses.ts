/**
 * A per-person limit on receipt guesses (/myreports, /forget), on every platform: a receipt has
 * 100 random bits, but without a limit an account could still try codes without end. Only
 * wrong codes count; once the limit is reached in a window, every code (even the right one) gets
 * the same neutral answer until the window passes, so the answer is no oracle.
 */

/** Counts wrong receipt guesses per person and window. */
export interface GuessLimiter {
  /** wrong guesses recorded for this key in the window starting at windowStart */
  count(key: string, windowStart: Date): Promise<number>;
  /** records one wrong guess */
  add(key: string, windowStart: Date): Promise<void>;
}

/** Wrong guesses allowed per person per hour. */
export const RECEIPT_GUESSES_PER_HOUR = 10;
const HOUR = 3_600_000;

const windowOf = (now: Date) => new Date(Math.floor(now.getTime() / HOUR) * HOUR);
const keyOf = (actorId: string) => `receipt:${actorId}`;

/** Minutes until the person may guess again, or 0 when they may now. */
export async function guessWait(g: GuessLimiter, actorId: string, now: Date, perHour = RECEIPT_GUESSES_PER_HOUR): Promise<number> {
  const start = windowOf(now);
  if ((await g.count(keyOf(actorId), start)) < perHour) return 0;
  return Math.max(1, Math.ceil((start.getTime() + HOUR - now.getTime()) / 60_000));
}

/** Records a wrong guess. */
export function recordWrongGuess(g: GuessLimiter, actorId: string, now: Date): Promise<void> {
  return g.add(keyOf(actorId), windowOf(now));
}
