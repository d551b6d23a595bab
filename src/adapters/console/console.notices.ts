/**
 * Console notices: a console started `--as triage` is the triage team's view on the console, so
 * new-report notices are printed there. It plugs into the app's notifier list like the Telegram
 * and Discord triage chats; delivery goes through the same outbox job.
 */
import type { Locale } from '../../core/i18n/locales.ts';
import type { TriageNotifier } from '../../core/triage/notifier.ts';
import { renderNotice } from '../../core/triage/triage.service.ts';

/** A notifier that prints each notice's text (id, category, severity, time; never content) in the console's language. */
export function consoleNotifier(print: (text: string) => void, locale: Locale): TriageNotifier {
  return {
    platform: 'console',
    async deliver(notice) {
      // The buttons of other platforms become typed commands here: the text names the report id.
      const rendered = renderNotice(notice, locale);
      print(
        rendered.blocks
          .map((b) => ('text' in b ? b.text : ''))
          .filter(Boolean)
          .join('\n'),
      );
    },
  };
}
