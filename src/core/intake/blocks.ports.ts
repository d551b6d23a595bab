/**
 * Blocks: the triage team stops the person behind a report (by pseudonym: the team never sees
 * who) from submitting for a while — a flood, an infiltrator's fake reports. The person gets a
 * neutral answer; the team names the block by the report's public id.
 */
import type { Sealed } from './intake.ports.ts';

/** One block, as the team lists it. */
export interface BlockRow {
  publicId: string;
  until: Date;
  /** sealed with the master key; null without a reason */
  reason: Sealed | null;
}

/** Storage of blocks. */
export interface BlockStore {
  /** The end of the person's block, or null when they may submit. */
  blockedUntil(reporterHash: string, now: Date): Promise<Date | null>;
  /** Blocks (or re-blocks) the person behind a report; audited in the same transaction. */
  block(b: { reporterHash: string; publicId: string; until: Date; reason: Sealed | null; actorHash: string }): Promise<void>;
  /** Lifts the block set from a report; false when there was none. Audited. */
  unblock(publicId: string, actorHash: string): Promise<boolean>;
  /** The blocks still running, soonest end first. */
  list(now: Date): Promise<BlockRow[]>;
}
