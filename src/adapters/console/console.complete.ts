/**
 * Tab completion on the console: command names, the options a command takes (languages, triage
 * actions) and known places after /lookup and /sources, from the dataset in memory.
 */
import type { App } from '../../app.ts';
import type { Locale } from '../../core/i18n/locales.ts';
import { LOCALES } from '../../core/i18n/locales.ts';
import type { Lantern } from '../../core/lantern.ts';
import { TRIAGE_ACTIONS } from '../../core/triage/triage.service.ts';

/** Commands only the console has. */
const CONSOLE_COMMANDS = ['attach', 'quit'];

/** Fixed option values, by command. */
const OPTION_VALUES: Record<string, readonly string[]> = { language: LOCALES, triage: TRIAGE_ACTIONS };

/** Commands whose argument is a place. */
const PLACE_COMMANDS = new Set(['lookup', 'sources']);

/** readline's completer: [candidates, the part of the line they replace]. */
export function completer(app: App, lantern: Lantern, locale: () => Locale) {
  return (line: string): [string[], string] => {
    const cmd = /^\/(\S*)$/.exec(line);
    if (cmd) {
      const names = [...lantern.commands.map((c) => c.name), ...CONSOLE_COMMANDS].map((n) => `/${n} `);
      return [names.filter((n) => n.startsWith(line)), line];
    }
    const arg = /^\/(\S+)\s+([\s\S]*)$/.exec(line);
    if (!arg) return [[], line];
    const [, name, partial] = arg as unknown as [string, string, string];
    const fixed = OPTION_VALUES[name];
    if (fixed && !partial.includes(' ')) return [fixed.filter((v) => v.startsWith(partial)), partial];
    if (!PLACE_COMMANDS.has(name) || !partial.trim()) return [[], partial];
    const values = lantern.autocomplete('places', partial, locale(), app.deps.dataset()).map((s) => s.value);
    const lower = partial.toLowerCase();
    // readline inserts the longest common prefix: keep the candidates that extend what was typed.
    const extending = values.filter((v) => v.toLowerCase().startsWith(lower));
    return [extending.length ? extending.map((v) => partial + v.slice(partial.length)) : values, partial];
  };
}
