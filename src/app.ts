/**
 * The composition root: opens storage, loads keys and the dataset, and exposes what adapters
 * need (core deps, how to turn a platform identity into an Actor). main.ts starts adapters on it.
 */
import type { Config } from './config.ts';
import type { Actor, CoreDeps, Platform, TriageRole } from './core/context.ts';
import { pseudonym, type Keyring } from './core/crypto/crypto.ts';
import { DatasetView } from './core/dataset/dataset.view.ts';
import { DatasetUnverifiedError, verifyDataset } from './core/dataset/verify.ts';
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
import { prismaAnonymised } from './db/anonymised-store.ts';
import { prismaGuesses } from './db/guess-store.ts';
import { claimNotices, markDelivered, markDeliveredTo, releaseNotice, type ClaimedNotice } from './db/outbox.ts';
import { upgradeLegacySealing } from './db/legacy-sealing.ts';
import { prismaDeletions, type DeletionStore } from './db/deletion-store.ts';
import { prismaMailbox } from './db/mailbox-store.ts';
import { prismaBlocks } from './db/block-store.ts';
import { prismaSnippets } from './db/snippet-store.ts';
import { cachedTeam, prismaTeam } from './db/team-store.ts';
import { compactErased, erasureCompactor, purge, runOnceAcrossProcesses } from './db/maintenance.ts';
import { randomUUID } from 'node:crypto';
import { isStorageFullError, isTemporaryStorageError } from './db/errors.ts';

/** A running Lantern: storage, keys, dataset and the core's dependencies. */
export interface App {
  config: Config;
  db: Database;
  keyring: Keyring;
  deps: CoreDeps;
  /** Messages an adapter must delete later (decrypted views), kept across restarts. */
  deletions: DeletionStore;
  /** Builds the pseudonymous actor for a platform user; the raw id goes no further than here. */
  actor(
    platform: Platform,
    rawUserId: string,
    opts?: { localeHint?: string | undefined; triage?: boolean; role?: TriageRole },
  ): Promise<Actor>;
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
  /** Runs any compaction an erasure asked for now, and waits for it (tests, shutdown). */
  settleErasures(): Promise<void>;
  /** Re-reads the dataset from the database (after an import). */
  reloadDataset(): Promise<void>;
  close(): Promise<void>;
}

/** The core's dependencies on a database (used by createApp and by storage tests). */
export function buildDeps(
  db: Database,
  keyring: Keyring,
  config: Pick<Config, 'reports'> & Partial<Pick<Config, 'exports'>>,
  log: Logger,
  dataset: () => DatasetView,
  relays: ReadonlyMap<string, Relay> = new Map(),
  erased?: () => void,
): CoreDeps {
  const hook = erased ? { erased } : {};
  return {
    triage: {
      store: prismaTriage(db.prisma),
      relays,
      anonymised: prismaAnonymised(db.prisma),
      exports: config.exports ?? { recipients: [], deleteDecryptedAfterSeconds: 0 },
      snippets: prismaSnippets(db.prisma),
      team: cachedTeam(prismaTeam(db.prisma)),
    },
    dataset,
    preferences: cachedPreferences(prismaPreferences(db.prisma)),
    clock: { now: () => new Date() },
    log,
    maps: new MapCache(),
    intake: {
      keyring,
      drafts: cachedDrafts(prismaDrafts(db.prisma, hook)),
      reports: prismaReports(db.prisma, hook),
      images: sharpImageCleaner(),
      settings: config.reports,
      guesses: prismaGuesses(db.prisma),
      mailbox: prismaMailbox(db.prisma),
      blocks: prismaBlocks(db.prisma),
    },
  };
}

/** How long after an erasure its compaction starts: erasures close together share one run. */
export const ERASURE_COMPACT_MS = 10_000;

/** Starts storage and core for the configuration. */
export async function createApp(config: Config, log: Logger, hooks: { onNewDatabase?: () => void } = {}): Promise<App> {
  const db = await openDatabase({ dataDir: config.dataDir, databaseUrl: config.databaseUrl, ...hooks });
  if (db.applied.length) log.info({ migrations: db.applied }, 'database migrated');
  try {
    const { keyring, generated, source } = loadKeyring(config);
    if (generated)
      log.warn(
        { file: generated },
        'GENERATED encryption and hash keys for the embedded default (development only); back this file up, or set LANTERN_ENCRYPTION_KEYS and LANTERN_HASH_KEY',
      );
    // Said at every start: the keys beside the data protect nothing against whoever takes the disk.
    if (source === 'data-dir')
      log.warn(
        { file: generated ?? `${config.dataDir}/keys.json` },
        'the keys are stored IN THE DATA DIRECTORY: anyone who copies it can read every report; for real use move them out (LANTERN_KEYS_FILE, systemd credentials or the environment)',
      );
    // Reports sealed before envelope encryption get their data key (and lose their master-key copies).
    const legacy = await upgradeLegacySealing(db.prisma, keyring, { erased: () => compactErased(db) });
    if (legacy.reports || legacy.drafts)
      log.info({ reports: legacy.reports, drafts: legacy.drafts }, 'sealed data upgraded to a data key per report');
    if (legacy.unreadable.length)
      log.warn(
        { reports: legacy.unreadable },
        'reports sealed with a key that is not configured: they stay unreadable until that key is added to LANTERN_ENCRYPTION_KEYS',
      );
    const seeded = await ensureDataset(db.prisma, await readDatasetFile(bundledDatasetPath));
    if (seeded === 'seeded') log.info({}, 'bundled dataset loaded into the database');
    const data = await loadDataset(db.prisma);
    // Every statement must be sourced: a dataset whose quotes are not in its sources is not served.
    const problems = verifyDataset(data);
    if (problems.length) throw new DatasetUnverifiedError(problems, 'the dataset in the database');
    let view = new DatasetView(data);
    const relays = new Map<string, Relay>();
    // An erasure is followed within ERASURE_COMPACT_MS by a compaction that clears its old bytes.
    const compactor = erasureCompactor(() => compactErased(db), {
      delayMs: ERASURE_COMPACT_MS,
      onError: (e) =>
        log.warn({ err: { message: (e as Error).message } }, 'compaction after an erasure failed; the next erasure retries it'),
    });
    const deps = buildDeps(
      db,
      keyring,
      config,
      log,
      () => view,
      relays,
      () => compactor.request(),
    );
    const notifiers: TriageNotifier[] = [];
    const holder = randomUUID();
    // Each platform goes through the claimed notices on its own: a platform that fails (or waits
    // out a long 429) neither repeats nor holds up the others. A notice is done once every
    // registered platform has it; until then it is released and tried again, where it is missing.
    const deliverNotices = async () => {
      if (!notifiers.length) return 0;
      const claimed = await claimNotices(db.prisma, holder, new Date());
      await Promise.all(notifiers.map((n) => deliverTo(n, claimed)));
      let delivered = 0;
      for (const c of claimed) {
        if (notifiers.every((n) => c.deliveredTo.includes(n.platform))) {
          await markDelivered(db.prisma, c.id, new Date());
          delivered++;
        } else await releaseNotice(db.prisma, c.id).catch(() => {});
      }
      return delivered;
    };
    async function deliverTo(n: TriageNotifier, claimed: ClaimedNotice[]): Promise<void> {
      for (const c of claimed) {
        if (c.deliveredTo.includes(n.platform)) continue;
        try {
          await n.deliver(c.notice, renderNotice(c.notice, config.defaultLocale));
        } catch (e) {
          log.warn(
            { notice: c.notice.publicId, platform: n.platform, err: { message: (e as Error).message } },
            'triage notice not delivered; will retry',
          );
          continue;
        }
        c.deliveredTo.push(n.platform);
        await markDeliveredTo(db.prisma, c.id, n.platform);
      }
    }
    return {
      config,
      db,
      keyring,
      deps,
      deletions: prismaDeletions(db.prisma, keyring),
      notifiers,
      registerNotifier: (n) => void notifiers.push(n),
      registerRelay: (platform, relay) => void relays.set(platform, relay),
      apologyFor: (error) =>
        isStorageFullError(error)
          ? 'common.storage_full'
          : isTemporaryStorageError(error)
            ? 'common.temporary_error'
            : 'common.internal_error',
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
            const r = await purge(db.prisma, {
              now: new Date(),
              retentionDays: config.reports.retentionDays,
              erased: () => compactor.request(),
            });
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
        return { platform, id, locale, triage: opts.triage ?? false, ...(opts.triage && opts.role ? { role: opts.role } : {}) };
      },
      async reloadDataset() {
        const next = await loadDataset(db.prisma);
        const wrong = verifyDataset(next);
        // the dataset being served stays: an unverified one never replaces it
        if (wrong.length) throw new DatasetUnverifiedError(wrong, 'the dataset in the database');
        view = new DatasetView(next);
      },
      settleErasures: () => compactor.settle(),
      close: async () => {
        await compactor.settle().catch(() => {});
        await db.close();
      },
    };
  } catch (e) {
    await db.close();
    throw e;
  }
}
