/** The triage group (notices of new reports) and the relay back to a reporter's private chat. */
import { GrammyError } from 'grammy';
import type { TriageNotifier } from '../../core/triage/notifier.ts';
import type { Relay } from '../../core/triage/triage.ports.ts';
import { sendReply } from './deliver.ts';
import { escapeHtml } from './render.ts';
import { delivery, type TelegramState } from './state.ts';

/** Posts notices into the triage group, when one is configured. */
export function triageNotifier(s: TelegramState): TriageNotifier | undefined {
  if (!s.tg.triageChatId) return undefined;
  return {
    platform: 'telegram',
    // The core renders the notice (id, category, severity, time; never content); this only posts it.
    // Into the configured topic of a forum (else General); to the group's current id (migrations).
    deliver: async (_notice, rendered) =>
      void (await sendReply(delivery(s), rendered, s.migrations.triageChat()!, {
        locale: s.app.config.defaultLocale,
        privateChat: false,
        threadId: s.tg.triageTopicId,
      })),
  };
}

/** Sends a triage message to the reporter's private chat (route = chat id). */
export function telegramRelay(s: TelegramState): Relay {
  return async (route, text) => {
    try {
      await s.bot.api.sendMessage(route, escapeHtml(text), { parse_mode: 'HTML', link_preview_options: { is_disabled: true } });
    } catch (e) {
      // 403: blocked by the user, or the account was deleted; a typed failure, not an apology.
      if (e instanceof GrammyError && (e.error_code === 403 || /chat not found/i.test(e.description))) return 'REPORTER_UNREACHABLE';
      throw e;
    }
  };
}
