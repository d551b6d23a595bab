/** TeamStore on Prisma (TeamMember), changes audited in their transaction. */
import type { TeamRole, TeamStore } from '../core/triage/team.ports.ts';
import type { PrismaClient } from './client.ts';

/** The Prisma TeamStore. */
export function prismaTeam(prisma: PrismaClient): TeamStore {
  return {
    async set(platform, memberHash, role, actorHash) {
      await prisma.$transaction([
        prisma.teamMember.upsert({
          where: { platform_memberHash: { platform, memberHash } },
          create: { platform, memberHash, role },
          update: { role },
        }),
        prisma.auditEvent.create({ data: { actorHash, action: 'team.role', details: { member: `#${memberHash.slice(0, 6)}`, to: role } } }),
      ]);
    },
    list: async (platform) =>
      (await prisma.teamMember.findMany({ where: { platform }, orderBy: { updatedAt: 'asc' } })).map((m) => ({
        memberHash: m.memberHash,
        role: m.role as TeamRole,
      })),
    get: async (platform, memberHash) =>
      ((await prisma.teamMember.findUnique({ where: { platform_memberHash: { platform, memberHash } } }))?.role as TeamRole | undefined) ??
      undefined,
  };
}

/**
 * Every update on Telegram asks for its sender's role: the platform's rows are read at most every
 * `ttlMs` (one query, not one per update); a change made here is seen at once, one made by another
 * process within `ttlMs`.
 */
export function cachedTeam(store: TeamStore, ttlMs = 10_000, now: () => number = Date.now): TeamStore {
  const snapshots = new Map<string, { rows: Map<string, TeamRole>; until: number }>();
  const rowsOf = async (platform: Parameters<TeamStore['list']>[0]) => {
    const hit = snapshots.get(platform);
    if (hit && hit.until > now()) return hit.rows;
    const rows = new Map((await store.list(platform)).map((m) => [m.memberHash, m.role] as const));
    snapshots.set(platform, { rows, until: now() + ttlMs });
    return rows;
  };
  return {
    async set(platform, memberHash, role, actorHash) {
      await store.set(platform, memberHash, role, actorHash);
      snapshots.delete(platform);
    },
    list: (platform) => store.list(platform),
    get: async (platform, memberHash) => (await rowsOf(platform)).get(memberHash),
  };
}
