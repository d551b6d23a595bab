/**
 * What the Telegram adapter's parts share, built once per bot and passed to each explicitly:
 * the bot, its configuration, the chat moves it follows, the button tokens, the work in flight.
 */
import type { Bot } from 'grammy';
import type { UserFromGetMe } from 'grammy/types';
import type { App } from '../../app.ts';
import type { Config } from '../../config.ts';
import type { Logger } from '../../core/context.ts';
import type { Lantern } from '../../core/lantern.ts';
import type { TriageNotifier } from '../../core/triage/notifier.ts';
import type { RelayFailure } from '../../core/triage/triage.ports.ts';
import type { RunningAdapter } from '../adapter.types.ts';
import type { InFlight } from '../kit/in-flight.ts';
import type { CallbackTokens } from './callback-tokens.ts';
import type { Delivery } from './deliver.ts';
import type { ChatMigrations } from './migrations.ts';

/** The Telegram part of the configuration. */
export type TelegramConfig = NonNullable<Config['telegram']>;

/** Per-person flood control: at most `limit` updates per `timeFrameMs` (an album of photos is several). */
export interface FloodOptions {
  timeFrameMs: number;
  limit: number;
}

/** Options of createTelegramBot. */
export interface TelegramBotOptions {
  app: App;
  lantern: Lantern;
  log: Logger;
  telegram: TelegramConfig;
  /** known bot identity (skips getMe); tests and benchmarks */
  botInfo?: UserFromGetMe;
  flood?: FloodOptions;
  /** auto-retry: longest retry_after honoured and attempts (then the call fails) */
  retry?: { maxDelaySeconds: number; maxRetryAttempts: number };
}

/** A configured bot, not yet receiving updates. */
export interface TelegramBot {
  bot: Bot;
  /** resolves when every update being handled now is done */
  settled(): Promise<void>;
  /** the highest update id seen (to acknowledge it when stopping) */
  lastUpdateId(): number | undefined;
  /** posts triage notices to the triage group */
  notifier: TriageNotifier | undefined;
  /** sends a triage message back to a reporter's private chat (route = chat id) */
  relay(route: string, text: string): Promise<void | RelayFailure>;
  /** reads the group moves recorded earlier (call once before handling updates) */
  loadMigrations(): Promise<void>;
  /** the triage group's id now (followed through an upgrade to a supergroup) */
  triageChatId(): string | undefined;
  /** deletes the decrypted views that are due (left by this process or an earlier one) */
  deleteDue(): Promise<void>;
}

/** The started adapter; `settled` waits for the updates being handled (tests and benchmarks use it). */
export interface RunningTelegram extends RunningAdapter {
  settled(): Promise<void>;
}

/** The shared state of one bot. */
export interface TelegramState {
  app: App;
  lantern: Lantern;
  log: Logger;
  tg: TelegramConfig;
  bot: Bot;
  migrations: ChatMigrations;
  tokens: CallbackTokens;
  inFlight: InFlight;
  /** the highest update id seen */
  lastUpdateId: number | undefined;
  /** deletes the decrypted views that are due */
  deleteDue: () => Promise<void>;
}

/** What deliver.ts needs to send a Reply (the bot's username is known once the bot is initialised). */
export const delivery = (s: TelegramState): Delivery => ({
  api: s.bot.api,
  lantern: s.lantern,
  log: s.log,
  botUsername: s.bot.botInfo.username,
  tokens: s.tokens,
  deletions: s.app.deletions,
  deleteDue: s.deleteDue,
});
