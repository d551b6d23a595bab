/**
 * What the person at the terminal sends, as units: one line each when input is piped (exactly as
 * before), and on a terminal a paste arrives as one answer and a line ending in "\" continues.
 */
import type { Interface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Lines closer together than this came from one paste: no one presses Enter twice in 40 ms, and
 * a pasted block reaches readline in one read. (Bracketed paste would be exact, but Node 20's
 * readline does not surface its markers as keys, so a short window is the portable way.)
 */
export const PASTE_WINDOW_MS = 40;

/** The continuation mark: a typed line ending with it goes on on the next line. */
const CONTINUE = /\\$/;

type Next = Promise<IteratorResult<string>>;

/** Yields one unit per line (piped), or per paste / continued block (terminal). */
export function inputUnits(rl: Interface, opts: { interactive: boolean; continuationPrompt?: () => void }): AsyncGenerator<string> {
  // Taken at once, not on the first read: readline drops the lines it emits while nobody listens
  // (piped lines arriving while a triage console delivers the notices that waited for it).
  return unitsOf(rl[Symbol.asyncIterator](), opts);
}

async function* unitsOf(
  lines: AsyncIterator<string>,
  opts: { interactive: boolean; continuationPrompt?: () => void },
): AsyncGenerator<string> {
  if (!opts.interactive) {
    for (let r = await lines.next(); !r.done; r = await lines.next()) yield r.value;
    return;
  }
  let pending: Next | undefined;
  const next = (): Next => (pending ??= lines.next());
  for (;;) {
    const first = await next();
    pending = undefined;
    if (first.done) return;
    const parts = [first.value];
    let ended = false;
    // A command line stands alone: lines pasted after it are the next units.
    while (!parts[0]!.trimStart().startsWith('/') || CONTINUE.test(parts[parts.length - 1]!)) {
      const last = parts[parts.length - 1]!;
      const continued = CONTINUE.test(last);
      if (continued) {
        parts[parts.length - 1] = last.slice(0, -1);
        opts.continuationPrompt?.();
      }
      const r = continued ? await next() : await Promise.race([next(), sleep(PASTE_WINDOW_MS).then(() => null)]);
      if (r === null) break;
      pending = undefined;
      if (r.done) {
        ended = true;
        break;
      }
      parts.push(r.value);
    }
    yield parts.join('\n');
    if (ended) return;
  }
}
