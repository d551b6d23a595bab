/** Every command, in the order help and the platforms' menus show them. */
import type { AnyCommand } from '../src/core/commands/command.types.ts';
import lookup from './lookup.ts';
import sources from './sources.ts';
import tactics from './tactics.ts';
import { helpCommand } from './help.ts';
import resources from './resources.ts';
import language from './language.ts';
import report from './report.ts';
import myreports from './myreports.ts';
import forget from './forget.ts';
import triage from './triage.ts';
import cancel from './cancel.ts';
import back from './back.ts';
import draft from './draft.ts';
import map from './map.ts';

// help lists every command, itself included: it reads the list when asked, once it exists.
const help = helpCommand(() => allCommands);

export const allCommands: AnyCommand[] = [
  lookup,
  sources,
  tactics,
  map,
  report,
  myreports,
  forget,
  help,
  resources,
  language,
  triage,
  cancel,
  back,
  draft,
] as unknown as AnyCommand[];

/** The command with this name (without "/"), if any. */
export function findCommand(name: string): AnyCommand | undefined {
  return allCommands.find((c) => c.name === name.toLowerCase());
}
