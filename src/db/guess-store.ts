/** GuessLimiter on Prisma, in the RateLimit table (key "receipt:<person hash>", hour windows). */
import type { GuessLimiter } from '../core/intake/receipt-guesses.ts';
import type { PrismaClient } from './client.ts';

/** The Prisma GuessLimiter. */
export function prismaGuesses(prisma: PrismaClient): GuessLimiter {
  return {
    async count(key, windowStart) {
      return (await prisma.rateLimit.findUnique({ where: { key_windowStart: { key, windowStart } } }))?.count ?? 0;
    },
    async add(key, windowStart) {
      // One statement: concurrent wrong guesses from several processes all count.
      await prisma.rateLimit.upsert({
        where: { key_windowStart: { key, windowStart } },
        create: { key, windowStart, count: 1 },
        update: { count: { increment: 1 } },
      });
    },
  };
}
