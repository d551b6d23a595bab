/** language [code]: shows or sets the person's language (stored under their pseudonymous id). */
import type { CoreContext } from '../context.ts';
import type { CoreError } from '../errors.ts';
import { t } from '../i18n/catalog.ts';
import { LOCALES, type Locale } from '../i18n/locales.ts';
import { ok, type Result } from '../result.ts';
import type { Reply } from '../reply.ts';
import { encodeCommandChoice } from '../choice-id.ts';

/** The language use case. */
export async function language(input: { language?: Locale | undefined }, ctx: CoreContext): Promise<Result<Reply, CoreError>> {
  if (!input.language) {
    return ok({
      private: true,
      kind: 'answer',
      citations: [],
      blocks: [
        {
          type: 'text',
          text: t(ctx.actor.locale, 'language.current', { language: t(ctx.actor.locale, `language.name.${ctx.actor.locale}`) }),
        },
      ],
      choices: LOCALES.map((l) => ({ id: encodeCommandChoice('language', l), label: t(l, `language.name.${l}`) })),
    });
  }
  await ctx.deps.preferences.setLocale(ctx.actor.id, input.language);
  const locale = input.language;
  return ok({
    private: true,
    kind: 'answer',
    citations: [],
    setLocale: locale,
    blocks: [{ type: 'text', text: t(locale, 'language.changed', { language: t(locale, `language.name.${locale}`) }) }],
  });
}
