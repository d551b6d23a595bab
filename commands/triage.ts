import { z } from 'zod';
import { defineCommand, opt } from './define.ts';
import { triage, TRIAGE_ACTIONS, TRIAGE_ACTION_LABELS } from '../src/core/triage/triage.service.ts';

export default defineCommand({
  name: 'triage',
  description: 'cmd.triage.description',
  usage: 'cmd.triage.usage',
  audience: 'triage',
  where: 'anywhere',
  options: {
    // Any word: an unknown one is answered with the list of actions (Discord offers only these choices).
    action: opt.optionalString(z.string().trim().max(32), 'opt.triage.action', {
      choices: TRIAGE_ACTIONS.map((a) => ({ value: a, label: TRIAGE_ACTION_LABELS[a] })),
    }),
    args: opt.optionalString(z.string().max(2500), 'opt.triage.args', { maxLength: 2500 }),
  },
  handler: triage,
});
