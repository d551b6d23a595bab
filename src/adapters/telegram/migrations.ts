/**
 * Groups upgraded to supergroups: Telegram gives the group a new id, and the old one refuses
 * every call. The move is followed at once and stored, so the next start knows it too.
 */
import type { App } from '../../app.ts';
import type { Logger } from '../../core/context.ts';
import { loadChatMigrations, saveChatMigration } from '../../db/chat-migrations.ts';
import { errorFields } from '../kit/error-fields.ts';
import { grammyErrorFields } from './errors.ts';

/** Old chat id → new chat id, for this bot. */
export class ChatMigrations {
  private readonly moves = new Map<string, string>();

  constructor(
    private readonly app: App,
    private readonly log: Logger,
    private readonly triageChatId: string | undefined,
  ) {}

  /** The chat's new id, if it moved. */
  get(chat: string): string | undefined {
    return this.moves.get(chat);
  }

  /** Records a move (stored; a failure to store is logged and the move is used until restart). */
  async follow(from: string, to: string): Promise<void> {
    if (this.moves.get(from) === to) return;
    this.moves.set(from, to);
    this.log.info({ triage: from === this.triageChatId }, 'telegram: a group was upgraded to a supergroup; following it to its new id');
    await saveChatMigration(this.app.db.prisma, from, to).catch((e: unknown) =>
      this.log.warn({ err: errorFields(e, grammyErrorFields) }, 'telegram: the new group id could not be stored; it is used until restart'),
    );
  }

  /** Reads the moves recorded earlier. */
  async load(): Promise<void> {
    for (const [from, to] of await loadChatMigrations(this.app.db.prisma)) this.moves.set(from, to);
  }

  /** The triage group's id now (it changes when the group becomes a supergroup). */
  triageChat(): string | undefined {
    return this.triageChatId === undefined ? undefined : (this.moves.get(this.triageChatId) ?? this.triageChatId);
  }
}
