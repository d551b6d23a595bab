/** help and resources: what Lantern is, how data is handled, whom to contact, digital safety. */
import type { CoreContext } from '../context.ts';
import type { CoreError } from '../errors.ts';
import { t, type MessageKey } from '../i18n/catalog.ts';
import { ok, type Result } from '../result.ts';
import type { Reply } from '../reply.ts';

/** One help line per command the actor may use. */
export interface CommandSummary {
  name: string;
  description: MessageKey;
  audience: 'everyone' | 'triage';
}

/** help: what the bot is, its commands, how it handles data. */
export function makeHelp(commands: () => readonly CommandSummary[]) {
  return async function help(_input: Record<string, never>, ctx: CoreContext): Promise<Result<Reply, CoreError>> {
    const { locale } = ctx.actor;
    const usable = commands().filter((c) => c.audience === 'everyone' || ctx.actor.triage);
    return ok({
      private: false,
      kind: 'answer',
      citations: [],
      blocks: [
        { type: 'title', text: t(locale, 'help.title') },
        { type: 'text', text: t(locale, 'help.about') },
        {
          type: 'item',
          title: t(locale, 'help.commands'),
          lines: usable.map((c) => ({ text: `/${c.name} — ${t(locale, c.description)}` })),
        },
        {
          type: 'item',
          title: t(locale, 'help.data_title'),
          lines: [{ text: t(locale, 'help.data_1') }, { text: t(locale, 'help.data_2') }, { text: t(locale, 'help.data_3') }],
        },
        { type: 'notice', text: t(locale, 'help.emergency') },
      ],
    });
  };
}

/** resources: whom to contact and digital-safety basics. */
export async function resources(_input: Record<string, never>, ctx: CoreContext): Promise<Result<Reply, CoreError>> {
  const { locale } = ctx.actor;
  return ok({
    private: false,
    kind: 'answer',
    citations: [],
    blocks: [
      { type: 'title', text: t(locale, 'resources.title') },
      {
        type: 'item',
        title: t(locale, 'resources.contact_title'),
        lines: [
          { text: t(locale, 'resources.contact_1') },
          { text: t(locale, 'resources.contact_2') },
          { text: t(locale, 'resources.contact_3') },
        ],
      },
      {
        type: 'item',
        title: t(locale, 'resources.safety_title'),
        lines: [
          { text: t(locale, 'resources.safety_1') },
          { text: t(locale, 'resources.safety_2') },
          { text: t(locale, 'resources.safety_3') },
          { text: t(locale, 'resources.safety_4') },
        ],
      },
    ],
  });
}
