/**
 * Helpers to declare a command once (see lookup.ts). Discord's and Telegram's registrations, help
 * texts and argument parsing are all derived from these declarations.
 */
import { z } from 'zod';
import type { AnyCommand, CommandDef, OptionDef } from '../src/core/commands/command.types.ts';
import { catalogs, type MessageKey } from '../src/core/i18n/catalog.ts';
import { LOCALES } from '../src/core/i18n/locales.ts';

/** Declares a command (identity function that keeps the input types). */
export function defineCommand<O extends Record<string, OptionDef>>(def: CommandDef<O>): CommandDef<O> {
  return def;
}

/** Option builders. @example opt.string(z.string().trim().min(1).max(100), 'opt.lookup.place', { autocomplete: 'places' }) */
export const opt = {
  /** A required string option validated by `schema`. */
  string<S extends z.ZodType<string, string>>(
    schema: S,
    description: MessageKey,
    extra: Partial<Pick<OptionDef, 'autocomplete' | 'choices' | 'maxLength'>> = {},
  ): OptionDef<S> & { required: true } {
    return { kind: 'string', schema, description, required: true, ...extra };
  },
  /** An optional string option. */
  optionalString<S extends z.ZodType<string, string>>(
    schema: S,
    description: MessageKey,
    extra: Partial<Pick<OptionDef, 'autocomplete' | 'choices' | 'maxLength'>> = {},
  ): OptionDef<S> & { required: false } {
    return { kind: 'string', schema, description, required: false, ...extra };
  },
};

/** The limits both platforms impose (Discord's are the stricter ones for descriptions). */
export const PLATFORM_RULES = { name: /^[a-z0-9_]{1,32}$/, descriptionMin: 3, descriptionMax: 100, maxOptions: 25 } as const;

/** A declaration that breaks a platform rule; lists every offender at once. */
export class UncompliantCommandsError extends Error {
  constructor(readonly problems: string[]) {
    super(`Command declarations break platform rules (fix them in commands/):\n- ${problems.join('\n- ')}`);
  }
}

/** Checks every declaration against Discord's and Telegram's rules; throws listing all problems. */
export function validateCommands(defs: readonly AnyCommand[]): void {
  const problems: string[] = [];
  const names = new Set<string>();
  for (const d of defs) {
    if (!PLATFORM_RULES.name.test(d.name))
      problems.push(`/${d.name}: name must match ${PLATFORM_RULES.name} (lowercase, digits, _; no "/")`);
    if (names.has(d.name)) problems.push(`/${d.name}: declared twice`);
    names.add(d.name);
    const opts = Object.entries(d.options);
    if (opts.length > PLATFORM_RULES.maxOptions) problems.push(`/${d.name}: ${opts.length} options, at most ${PLATFORM_RULES.maxOptions}`);
    const keys: [string, MessageKey][] = [
      ['description', d.description],
      ...opts.map(([n, o]): [string, MessageKey] => [`option ${n}`, o.description]),
    ];
    for (const [n] of opts) if (!PLATFORM_RULES.name.test(n)) problems.push(`/${d.name}: option "${n}" must be snake_case`);
    for (const [what, key] of keys)
      for (const l of LOCALES) {
        const text = catalogs[l][key];
        if (!text) problems.push(`/${d.name}: ${what} has no ${l} text (${key})`);
        else if (text.length < PLATFORM_RULES.descriptionMin || text.length > PLATFORM_RULES.descriptionMax)
          problems.push(
            `/${d.name}: ${what} in ${l} is ${text.length} characters, must be ${PLATFORM_RULES.descriptionMin}-${PLATFORM_RULES.descriptionMax}`,
          );
      }
  }
  if (problems.length) throw new UncompliantCommandsError(problems);
}
