import { defineCommand } from './define.ts';
import { showDraft } from '../src/core/intake/intake.service.ts';

export default defineCommand({
  name: 'draft',
  description: 'cmd.draft.description',
  usage: 'cmd.draft.usage',
  audience: 'everyone',
  where: 'private-only',
  options: {},
  handler: showDraft,
});
