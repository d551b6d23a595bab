/**
 * Messages to delete later, kept in the database (PendingDeletion) rather than in a process
 * timer: a restart, a crash or another process still deletes them when they are due.
 */
import { open, seal, type Keyring } from '../core/crypto/crypto.ts';
import type { PrismaClient } from './client.ts';

/** Some messages of one chat. */
export interface ChatMessages {
  chat: string;
  messages: string[];
}

/** Where an adapter keeps what it must delete. */
export interface DeletionStore {
  /** Records messages to delete at `at`. */
  schedule(platform: string, what: ChatMessages, at: Date): Promise<void>;
  /** Takes the due deletions of a platform: each is handed to one caller only, across processes. */
  claimDue(platform: string, now: Date): Promise<ChatMessages[]>;
}

const aad = (platform: string) => `deletion:${platform}`;

/** The Prisma DeletionStore; chat and message ids are sealed with the master key. */
export function prismaDeletions(prisma: PrismaClient, ring: Keyring): DeletionStore {
  return {
    async schedule(platform, what, at) {
      const s = seal(ring, Buffer.from(JSON.stringify(what)), aad(platform));
      await prisma.pendingDeletion.create({ data: { platform, keyId: s.keyId, whereCiphertext: new Uint8Array(s.data), deleteAt: at } });
    },
    async claimDue(platform, now) {
      // One statement: two processes never both take a row.
      const rows = await prisma.$queryRaw<{ keyId: string; whereCiphertext: Uint8Array }[]>`
        DELETE FROM "PendingDeletion" WHERE "platform" = ${platform} AND "deleteAt" <= ${now} RETURNING "keyId", "whereCiphertext"`;
      // A row sealed with a key since removed cannot be opened: its messages stay (rows live < 48 h).
      return rows.flatMap((r) => {
        try {
          return [JSON.parse(open(ring, r.keyId, r.whereCiphertext, aad(platform)).toString('utf8')) as ChatMessages];
        } catch {
          return [];
        }
      });
    },
  };
}
