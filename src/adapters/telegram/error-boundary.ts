/** The one place unexpected errors of an update end: logged by update id, answered with an apology. */
import type { BotError, Context } from 'grammy';
import { t } from '../../core/i18n/catalog.ts';
import { toLocale } from '../../core/i18n/locales.ts';
import { errorFields } from '../kit/error-fields.ts';
import { inThread } from './deliver.ts';
import { grammyErrorFields } from './errors.ts';
import { topicOf } from './people.ts';
import { escapeHtml } from './render.ts';
import type { TelegramState } from './state.ts';

/** What kind of update this is (for logs). */
function updateKind(c: Context): string {
  return Object.keys(c.update).find((k) => k !== 'update_id') ?? 'unknown';
}

/** Logs the failure and answers with an apology (a "try again" one for a storage outage). */
export async function onError(s: TelegramState, err: BotError): Promise<void> {
  const c = err.ctx;
  s.log.error(
    { update: c.update.update_id, kind: updateKind(c), err: errorFields(err.error, grammyErrorFields) },
    'telegram update failed',
  );
  const locale = toLocale(c.from?.language_code, s.app.config.defaultLocale);
  const apology = t(locale, s.app.apologyFor(err.error));
  const thread = inThread(c.msg ? topicOf(c.msg) : undefined);
  try {
    // A press already answered (they are answered first) gets the apology as a message instead.
    const alerted = c.callbackQuery
      ? await c.answerCallbackQuery({ text: apology, show_alert: true }).then(
          () => true,
          () => false,
        )
      : false;
    if (!alerted && c.chat) await s.bot.api.sendMessage(c.chat.id, escapeHtml(apology), { parse_mode: 'HTML', ...thread });
  } catch (e) {
    s.log.debug({ update: c.update.update_id, err: errorFields(e, grammyErrorFields) }, 'telegram apology not delivered');
  }
}
