/** What every triage action shares: its dependencies, report lookup by public id, reply and failure helpers, input rules. */
import { z } from 'zod';
import type { CoreContext } from '../context.ts';
import { coreError, type CoreError, type ErrorCode } from '../errors.ts';
import { openJsonForReport } from '../crypto/envelope.ts';
import { payloadBinding } from '../intake/sealing.ts';
import { ok, err, type Result } from '../result.ts';
import type { Block, Reply } from '../reply.ts';
import { normalizeText, textIssue } from '../text-input.ts';
import type { ReportPayload } from '../intake/report-payload.ts';
import type { TriageReport } from './triage.ports.ts';

/** A public report id as typed ("r-7k2m9q"), upper-cased. */
export const PublicId = z
  .string()
  .trim()
  .regex(/^r-[0-9a-z]{6}$/i)
  .transform((s) => s.toUpperCase());
/** Free text from a member: the same rules as a reporter's text (NFC, no invisible characters, visible length). */
export const FreeText = (max: number) =>
  z
    .string()
    .transform((s) => normalizeText(s, true))
    .refine((s) => textIssue(s, 1, max) === null);

/** The triage dependencies and the keyring; throws when triage is not configured. */
export function deps(ctx: CoreContext) {
  const d = ctx.deps.triage;
  const k = ctx.deps.intake?.keyring;
  if (!d || !k) throw new Error('triage dependencies are not configured');
  return { ...d, keyring: k };
}

/** A reply only the member sees. */
export const privateReply = (blocks: Block[], extra: Partial<Reply> = {}): Reply => ({
  private: true,
  kind: 'answer',
  blocks,
  citations: [],
  ...extra,
});
/** Marks a reply holding decrypted content for deletion after the configured time (0: kept). */
export const decrypted = (ctx: CoreContext): Partial<Reply> => {
  const s = ctx.deps.triage?.exports.deleteDecryptedAfterSeconds ?? 0;
  return s > 0 ? { deleteAfterSeconds: s } : {};
};
/** An expected failure as a Result. */
export const fail = (code: ErrorCode, params?: Record<string, string | number>): Result<Reply, CoreError> => err(coreError(code, params));

/** The report a typed public id names, or BAD_REPORT_ID / REPORT_NOT_FOUND. */
export async function findReport(ctx: CoreContext, raw: string | undefined): Promise<Result<TriageReport, CoreError>> {
  const id = PublicId.safeParse(raw ?? '');
  if (!id.success) return err(coreError('TRIAGE.BAD_REPORT_ID'));
  const r = await deps(ctx).store.get(id.data);
  return r ? ok(r) : err(coreError('TRIAGE.REPORT_NOT_FOUND', { id: id.data }));
}

/** The report's sealed payload, opened with its data key. */
export function payloadOf(ctx: CoreContext, r: TriageReport): ReportPayload {
  const { keyring } = deps(ctx);
  return openJsonForReport<ReportPayload>(keyring, r.dataKey, payloadBinding(r.id, r), r.payload);
}
