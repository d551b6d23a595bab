/**
 * The composition root: opens storage, loads keys and the dataset, and exposes what adapters
 * need (core deps, how to turn a platform identity into an Actor). main.ts starts adapters on it.
 */
import type { Config } from './config.ts';
import type { Actor, CoreDeps, Platform } from './core/context.ts';
import { pseudonym, type Keyring } from './core/crypto/crypto.ts';
import { DatasetView } from './core/dataset/dataset.view.ts';
import { MapCache } from './core/map/map.render.ts';
import { toLocale, type Locale } from './core/i18n/locales.ts';
import { openDatabase, type Database } from './db/client.ts';
import { bundledDatasetPath, ensureDataset, loadDataset, readDatasetFile } from './db/dataset-store.ts';
import { cachedPreferences, prismaPreferences } from './db/preference-store.ts';
import { prismaDrafts, prismaReports } from './db/intake-store.ts';
import { cachedDrafts } from './core/intake/draft-cache.ts';
import { sharpImageCleaner } from './media/image-cleaner.ts';
import { loadKeyring } from './keys.ts';
import type { Logger } from './core/context.ts';
import type { TriageNotifier } from './core/triage/notifier.ts';
import type { Relay } from './core/triage/triage.ports.ts';
import { renderNotice } from './core/triage/triage.service.ts';
import { prismaTriage } from './db/triage-store.ts';
import { claimNotices, markDelivered, releaseNotice } from './db/outbox.ts';
import { purge, runOnceAcrossProcesses } from './db/maintenance.ts';
import { randomUUID } from 'node:crypto';
import { isStorageFullError, isTemporaryStorageError } from './db/errors.ts';

/** A running Lantern: storage, keys, dataset and the core's dependencies. */
export interface App {
  config: Config;
  db: Database;
  keyring: Keyring;
  deps: CoreDeps;
  /** Builds the pseudonymous actor for a platform user; the raw id goes no further than here. */
  actor(platform: Platform, rawUserId: string, opts?: { localeHint?: string | undefined; triage?: boolean }): Promise<Actor>;
  /** Adapters with a configured triage chat register how to deliver notices there. */
  registerNotifier(notifier: TriageNotifier): void;
  readonly notifiers: readonly TriageNotifier[];
  /** Adapters register how to relay a triage message back to a reporter on their platform. */
  registerRelay(platform: Platform, relay: Relay): void;
  /** Delivers pending triage notices once (the background job calls this). */
  deliverNotices(): Promise<number>;
  /** Starts the background jobs: notice delivery and the retention purge. Returns a stop function. */
  startJobs(opts?: { noticeEveryMs?: number; purgeEveryMs?: number }): () => Promise<void>;
  /** The catalog key of the apology for an unexpected error: a passing storage outage, or a bug. */
  apologyFor(error: unknown): 'common.temporary_error' | 'common.storage_full' | 'common.internal_error';
  /** Re-reads the dataset from the database (after an import). */
  reloadDataset(): Promise<void>;
  close(): Promise<void>;
}

/** The core's dependencies on a database (used by createApp and by storage tests). */
export function buildDeps(db: Database, keyring: Keyring, config: Pick<Config, 'reports'>, log: Logger, dataset: () => DatasetView, relays: ReadonlyMap<string, Relay> = new Map()): CoreDeps {
  return {
    triage: { store: prismaTriage(db.prisma), relays },
    dataset,
    preferences: cachedPreferences(prismaPreferences(db.prisma)),
    clock: { now: () => new Date() },
    log,
    maps: new MapCache(),
    intake: {
      keyring,
      drafts: cachedDrafts(prismaDrafts(db.prisma)),
      reports: prismaReports(db.prisma),
      images: sharpImageCleaner(),
      settings: config.reports,
    },
  };
}

/** Starts storage and core for the configuration. */
export async function createApp(config: Config, log: Logger): Promise<App> {
  const db = await openDatabase({ dataDir: config.dataDir, databaseUrl: config.databaseUrl });
  if (db.applied.length) log.info({ migrations: db.applied }, 'database migrated');
  try {
    const { keyring, generated } = loadKeyring(config);
    if (generated) log.warn({ file: generated }, 'generated encryption and hash keys for the embedded default; back this file up, or set LANTERN_ENCRYPTION_KEYS and LANTERN_HASH_KEY');
    const seeded = await ensureDataset(db.prisma, await readDatasetFile(bundledDatasetPath));
    if (seeded === 'seeded') log.info({}, 'bundled dataset loaded into the database');
    let view = new DatasetView(await loadDataset(db.prisma));
    const relays = new Map<string, Relay>();
    const deps = buildDeps(db, keyring, config, log, () => view, relays);
    const notifiers: TriageNotifier[] = [];
    const holder = randomUUID();
    const deliverNotices = async () => {
      if (!notifiers.length) return 0;
      let delivered = 0;
      for (const { id, notice } of await claimNotices(db.prisma, holder, new Date())) {
        try {
          for (const n of notifiers) await n.deliver(notice, renderNotice(notice, config.defaultLocale));
          await markDelivered(db.prisma, id, new Date());
          delivered++;
        } catch (e) {
          log.warn({ notice: notice.publicId, err: { message: (e as Error).message } }, 'triage notice not delivered; will retry');
          await releaseNotice(db.prisma, id).catch(() => {});
        }
      }
      return delivered;
    };
    return {
      config,
      db,
      keyring,
      deps,
      notifiers,
      registerNotifier: (n) => void notifiers.push(n),
      registerRelay: (platform, relay) => void relays.set(platform, relay),
      apologyFor: (error) => (isStorageFullError(error) ? 'common.storage_full' : isTemporaryStorageError(error) ? 'common.temporary_error' : 'common.internal_error'),
      deliverNotices,
      startJobs(opts = {}) {
        let running = Promise.resolve();
        const guard = (name: string, job: () => Promise<unknown>) => () => {
          running = running.then(job).then(
            () => undefined,
            (e: unknown) => log.warn({ job: name, err: { message: (e as Error).message } }, 'background job failed; will retry'),
          );
        };
        const purgeEvery = opts.purgeEveryMs ?? 3_600_000;
        const notices = setInterval(guard('notices', deliverNotices), opts.noticeEveryMs ?? 2_000);
        const purging = guard('purge', () =>
          runOnceAcrossProcesses(db.prisma, 'retention-purge', purgeEvery, new Date(), async () => {
            const r = await purge(db.prisma, { now: new Date(), retentionDays: config.reports.retentionDays });
            log.info({ ...r }, 'retention purge');
          }),
        );
        const purgeTimer = setInterval(purging, Math.min(purgeEvery, 600_000));
        purging();
        return async () => {
          clearInterval(notices);
          clearInterval(purgeTimer);
          await running;
        };
      },
      async actor(platform, rawUserId, opts = {}) {
        const id = pseudonym(keyring, platform, rawUserId);
        const stored = await deps.preferences.getLocale(id);
        const locale: Locale = stored ?? toLocale(opts.localeHint, config.defaultLocale);
        return { platform, id, locale, triage: opts.triage ?? false };
      },
      async reloadDataset() {
        view = new DatasetView(await loadDataset(db.prisma));
      },
      close: () => db.close(),
    };
  } catch (e) {
    await db.close();
    throw e;
  }
}
