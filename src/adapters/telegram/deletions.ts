/**
 * Decrypted views deleted from a triage member's chat when due. The due time is stored
 * (App.deletions), so a restart before it still deletes them: at the next start, and then every
 * minute. Telegram lets a bot delete its own messages within 48 hours (Bot API, deleteMessage),
 * hence DECRYPTED_VIEW_TTL_SECONDS' cap of 47 h.
 */
import type { Api } from 'grammy';
import type { Logger } from '../../core/context.ts';
import type { DeletionStore } from '../../db/deletion-store.ts';

/** How often due deletions left by an earlier process are looked for. */
export const DELETION_SWEEP_MS = 60_000;

/** Deletes what is due now; never throws (a failure is logged and the messages stay). */
export function dueDeletions(api: Api, store: DeletionStore, log: Logger): () => Promise<void> {
  return async () => {
    try {
      for (const { chat, messages } of await store.claimDue('telegram', new Date())) {
        for (const id of messages)
          await api
            .deleteMessage(Number(chat), Number(id))
            .catch((e: unknown) => log.warn({ err: { message: (e as Error).message } }, 'telegram: a decrypted view could not be deleted'));
      }
    } catch (e) {
      log.warn({ err: { message: (e as Error).message } }, 'telegram: due deletions could not be read; the next sweep retries');
    }
  };
}

/** Records messages for deletion after `seconds`, and deletes them then if this process still runs. */
export async function deleteLater(
  store: DeletionStore,
  run: () => Promise<void>,
  chatId: number,
  ids: number[],
  seconds: number,
): Promise<void> {
  await store.schedule('telegram', { chat: String(chatId), messages: ids.map(String) }, new Date(Date.now() + seconds * 1000));
  setTimeout(() => void run(), seconds * 1000).unref();
}
