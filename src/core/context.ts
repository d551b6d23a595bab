/**
 * What every core handler receives besides its validated input: who asks (pseudonymously),
 * where (private or public chat), in which language, and the dependencies it may use.
 * Read-only; built by an adapter per request. No module-level singletons.
 */
import type { MailboxStore } from './intake/mailbox.ports.ts';
import type { Platform, TriageRole } from './actor.types.ts';
export type { Platform, TriageRole } from './actor.types.ts';
import type { BlockStore } from './intake/blocks.ports.ts';
import type { SnippetStore } from './triage/snippets.ports.ts';
import type { TeamStore } from './triage/team.ports.ts';
import type { Locale } from './i18n/locales.ts';
import type { DatasetView } from './dataset/dataset.view.ts';
import type { Keyring } from './crypto/crypto.ts';
import type { DraftStore, ImageCleaner, ReportStore } from './intake/intake.ports.ts';
import type { GuessLimiter } from './intake/receipt-guesses.ts';
import type { Relay, TriageStore } from './triage/triage.ports.ts';
import type { AnonymisedStore, ExportSettings } from './triage/export.ports.ts';
import type { MapCache } from './map/map.render.ts';
import type { Capabilities } from './capabilities.ts';
export type { Capabilities } from './capabilities.ts';

/** The person asking: never a raw platform id, only a keyed hash. */
export interface Actor {
  platform: Platform;
  /** HMAC of platform + user id (see core/crypto) */
  id: string;
  locale: Locale;
  /** member of the operator's triage team, as decided by the adapter's configured identity */
  triage: boolean;
  /** the member's role (absent for a member: lead, as before roles existed) */
  role?: TriageRole;
}

/** Minimal structured logger (pino-compatible). Never pass report content or raw ids. */
export interface Logger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** Stores a person's language choice. */
export interface PreferenceStore {
  getLocale(actorId: string): Promise<Locale | undefined>;
  setLocale(actorId: string, locale: Locale): Promise<void>;
  /** Removes the person's preference ("forget me"). */
  forget(actorId: string): Promise<void>;
  /** Everyone who has a preference, or null when there are more than `max` (then each is read). */
  holders?(max: number): Promise<Set<string> | null>;
}

/** Time, injectable for tests. */
export interface Clock {
  now(): Date;
}

/** What the report intake needs. */
export interface IntakeDeps {
  keyring: Keyring;
  drafts: DraftStore;
  reports: ReportStore;
  images: ImageCleaner;
  settings: { ratePerHour: number; draftTtlMinutes: number; evidenceMaxBytes: number };
  /** wrong receipt guesses per person (the /myreports and /forget limit) */
  guesses: GuessLimiter;
  /** the reports' mailboxes (absent: /myreports shows the status only) */
  mailbox?: MailboxStore;
  /** people the team blocked from submitting (absent: nobody is) */
  blocks?: BlockStore;
}

/** The ports core handlers use; main.ts plugs in the real implementations. */
export interface CoreDeps {
  /** the current dataset (a function: an import swaps it) */
  dataset(): DatasetView;
  preferences: PreferenceStore;
  clock: Clock;
  log: Logger;
  /** absent only in tests of the public commands */
  intake?: IntakeDeps;
  /** the triage workflow's storage and the platforms' relays back to reporters */
  triage?: {
    store: TriageStore;
    relays: ReadonlyMap<string, Relay>;
    anonymised: AnonymisedStore;
    exports: ExportSettings;
    snippets?: SnippetStore;
    team?: TeamStore;
  };
  /** rendered /map images, per dataset version, language and place (absent: rendered each time) */
  maps?: MapCache;
}

/** The read-only context of one request. */
export interface CoreContext {
  actor: Actor;
  chat: 'private' | 'public';
  deps: CoreDeps;
  /**
   * Opaque, platform-specific address of this private chat (e.g. a Telegram chat id), used only
   * to relay a triage message back when the reporter consented; stored encrypted, never logged.
   */
  route?: string;
  /** the adapter writes reply files only onto the operator's own disk (console --save-files) */
  localFiles?: boolean;
  /** what the platform can do (absent: nothing; see capabilitiesOf) */
  capabilities?: Capabilities;
}
