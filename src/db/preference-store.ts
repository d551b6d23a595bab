/** Language preferences in the database, keyed by pseudonymous id. */
import type { PreferenceStore } from '../core/context.ts';
import { isLocale } from '../core/i18n/locales.ts';
import type { PrismaClient } from './client.ts';

/** PreferenceStore on Prisma. */
export function prismaPreferences(prisma: PrismaClient): PreferenceStore {
  return {
    async getLocale(actorId) {
      const row = await prisma.preference.findUnique({ where: { actorHash: actorId } });
      return row && isLocale(row.locale) ? row.locale : undefined;
    },
    async setLocale(actorId, locale) {
      await prisma.preference.upsert({ where: { actorHash: actorId }, create: { actorHash: actorId, locale }, update: { locale } });
    },
  };
}
