/**
 * Telegram groups that were upgraded to supergroups: the old chat id answers every send with
 * 400 and `migrate_to_chat_id`, so the new id is kept here (the Setting table) and used from then
 * on, by this process and by the next start. Group ids only, never a person's.
 */
import type { PrismaClient } from './client.ts';

const PREFIX = 'telegram.migrated:';

/** Every recorded move, old chat id → new chat id. */
export async function loadChatMigrations(prisma: PrismaClient): Promise<Map<string, string>> {
  const rows = await prisma.setting.findMany({ where: { key: { startsWith: PREFIX } } });
  return new Map(rows.map((r) => [r.key.slice(PREFIX.length), r.value]));
}

/** Records that `oldId` became `newId`. */
export async function saveChatMigration(prisma: PrismaClient, oldId: string, newId: string): Promise<void> {
  const key = PREFIX + oldId;
  await prisma.setting.upsert({ where: { key }, create: { key, value: newId }, update: { value: newId } });
}
