/** Language preferences in the database, keyed by pseudonymous id. */
import type { PreferenceStore } from '../core/context.ts';
import { isLocale, type Locale } from '../core/i18n/locales.ts';
import type { PrismaClient } from './client.ts';
import { groupCommit } from './group-commit.ts';

/** PreferenceStore on Prisma. */
export function prismaPreferences(prisma: PrismaClient): PreferenceStore {
  // Every request reads one: the reads of people writing at the same moment go together.
  const read = groupCommit<string, Locale | undefined>(
    async (ids) => {
      const rows = await prisma.preference.findMany({ where: { actorHash: { in: ids } } });
      const found = new Map(rows.map((r) => [r.actorHash, r.locale]));
      return ids.map((id) => {
        const l = found.get(id);
        return l && isLocale(l) ? l : undefined;
      });
    },
    { maxBatch: 500, keyOf: (id) => id },
  );
  return {
    getLocale: (actorId) => read(actorId),
    async setLocale(actorId, locale) {
      await prisma.preference.upsert({ where: { actorHash: actorId }, create: { actorHash: actorId, locale }, update: { locale } });
    },
    async forget(actorId) {
      await prisma.preference.deleteMany({ where: { actorHash: actorId } });
    },
    async holders(max) {
      const rows = await prisma.preference.findMany({ select: { actorHash: true }, take: max + 1 });
      return rows.length > max ? null : new Set(rows.map((r) => r.actorHash));
    },
  };
}

/**
 * Remembers language preferences in this process for `ttlMs` (every request reads one; it was the
 * largest share of an adapter's own latency). A change made here is seen at once; a change made by
 * another process sharing PostgreSQL is seen within `ttlMs`.
 *
 * Most people never choose a language, and a first message from them would still cost a query:
 * the ids of everyone who has a preference (at most `maxHolders`) are kept too, refreshed every
 * `ttlMs`, so someone not among them is answered without one (measured: the query was about a
 * third of the CPU time of a Telegram /lookup).
 */
export function cachedPreferences(
  store: PreferenceStore,
  ttlMs = 60_000,
  now: () => number = Date.now,
  maxEntries = 50_000,
  maxHolders = 100_000,
): PreferenceStore {
  const cache = new Map<string, { locale: Locale | undefined; until: number }>();
  let holders: { ids: Promise<Set<string> | null>; until: number } | undefined;
  const knownHolders = async () => {
    if (!store.holders) return null;
    if (!holders || holders.until <= now()) holders = { ids: store.holders(maxHolders).catch(() => null), until: now() + ttlMs };
    return holders.ids;
  };
  const remember = (actorId: string, locale: Locale | undefined) => {
    if (cache.size >= maxEntries) cache.clear();
    cache.set(actorId, { locale, until: now() + ttlMs });
  };
  return {
    async getLocale(actorId) {
      const hit = cache.get(actorId);
      if (hit && hit.until > now()) return hit.locale;
      const ids = await knownHolders();
      const locale = ids && !ids.has(actorId) ? undefined : await store.getLocale(actorId);
      remember(actorId, locale);
      return locale;
    },
    async setLocale(actorId, locale) {
      await store.setLocale(actorId, locale);
      (await knownHolders())?.add(actorId);
      remember(actorId, locale);
    },
    async forget(actorId) {
      await store.forget(actorId);
      (await knownHolders())?.delete(actorId);
      cache.delete(actorId);
    },
  };
}
