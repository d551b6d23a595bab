/** The person's draft: the intake's dependencies, opening the sealed draft, saving a new version. */
import type { CoreContext } from '../context.ts';
import { openJsonForReport, sealJsonForReport } from '../crypto/envelope.ts';
import { draftBinding } from './sealing.ts';
import { DraftStateSchema, type DraftState } from './intake.machine.ts';
import type { SaveResult, StoredDraft } from './intake.ports.ts';

/** The intake's dependencies; throws when intake is not configured. */
export function deps(ctx: CoreContext) {
  const d = ctx.deps.intake;
  if (!d) throw new Error('intake dependencies are not configured');
  return d;
}

/** The person's draft, opened; `fresh` skips the process-local copy (see draft-cache.ts). */
export async function loadDraft(ctx: CoreContext, fresh = false): Promise<{ stored: StoredDraft; state: DraftState } | null> {
  const d = deps(ctx);
  const stored = await d.drafts.get(ctx.actor.id, ctx.deps.clock.now(), { fresh });
  if (!stored) return null;
  const parsed = DraftStateSchema.safeParse(openDraftState(d.keyring, stored));
  if (!parsed.success) {
    await d.drafts.delete(stored.key); // unreadable: from an incompatible version; start over cleanly
    return null;
  }
  return { stored, state: parsed.data as DraftState };
}

// A draft from an older version (no data key) or an unknown key cannot be opened: it starts over.
function openDraftState(ring: Parameters<typeof openJsonForReport>[0], stored: StoredDraft): unknown {
  try {
    return openJsonForReport(ring, stored.dataKey, draftBinding(stored.reportId, stored.key), stored.state);
  } catch {
    return undefined;
  }
}

/** When a draft saved now expires. */
export function expiry(ctx: CoreContext): Date {
  return new Date(ctx.deps.clock.now().getTime() + deps(ctx).settings.draftTtlMinutes * 60_000);
}

/** Saves the next version of a draft (refused when another answer saved first). */
export async function save(ctx: CoreContext, stored: StoredDraft, state: DraftState): Promise<{ result: SaveResult; version: number }> {
  const d = deps(ctx);
  const next: StoredDraft = {
    ...stored,
    step: state.step,
    version: stored.version + 1,
    state: sealJsonForReport(d.keyring, stored.dataKey, draftBinding(stored.reportId, stored.key), state),
    expiresAt: expiry(ctx),
  };
  return { result: await d.drafts.update(next, stored.version), version: next.version };
}
