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
  };
}

/**
 * Remembers language preferences in this process for `ttlMs` (every request reads one; it was the
 * largest share of an adapter's own latency). A change made here is seen at once; a change made by
 * another process sharing PostgreSQL is seen within `ttlMs`.
 */
export function cachedPreferences(store: PreferenceStore, ttlMs = 60_000, now: () => number = Date.now, maxEntries = 50_000): PreferenceStore {
  const cache = new Map<string, { locale: Locale | undefined; until: number }>();
  return {
    async getLocale(actorId) {
      const hit = cache.get(actorId);
      if (hit && hit.until > now()) return hit.locale;
      const locale = await store.getLocale(actorId);
      if (cache.size >= maxEntries) cache.clear();
      cache.set(actorId, { locale, until: now() + ttlMs });
      return locale;
    },
    async setLocale(actorId, locale) {
      await store.setLocale(actorId, locale);
      cache.set(actorId, { locale, until: now() + ttlMs });
    },
    async forget(actorId) {
      await store.forget(actorId);
      cache.delete(actorId);
    },
  };
}
