/** Team membership changed at run time (`/triage role`), on platforms whose roles Lantern keeps. */
import type { Platform, TriageRole } from '../actor.types.ts';

/** A member's role, or "removed" (taken off the environment's initial list). */
export type TeamRole = TriageRole | 'removed';

/** Storage of runtime team changes. */
export interface TeamStore {
  /** Sets a member's role; audited in the same transaction. */
  set(platform: Platform, memberHash: string, role: TeamRole, actorHash: string): Promise<void>;
  /** The runtime rows of a platform. */
  list(platform: Platform): Promise<{ memberHash: string; role: TeamRole }[]>;
  /** One member's runtime row, if any. */
  get(platform: Platform, memberHash: string): Promise<TeamRole | undefined>;
}
