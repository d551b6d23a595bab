/**
 * What the intake needs from the outside world. Stores receive and return sealed (encrypted)
 * blobs only: encryption happens in core, so no adapter or store ever handles report text.
 */
import type { Category } from './intake.taxonomy.ts';

/** A sealed blob and the id of the key that sealed it. */
export interface Sealed {
  keyId: string;
  data: Uint8Array;
}

/** A draft conversation as stored. */
export interface StoredDraft {
  key: string;
  /** the id the report will get; its data key seals the draft and its evidence */
  reportId: string;
  /** the report's data key, wrapped by the master key (see crypto/envelope.ts) */
  dataKey: Sealed;
  step: string;
  version: number;
  state: Sealed;
  /** platform message ids the bot sent in this conversation */
  messages: string[];
  expiresAt: Date;
}

/**
 * What saving a step did. 'taken': another answer to the same step was saved first (a double
 * tap) and this one was dropped. 'outdated': the draft the answer was applied to was an
 * out-of-date copy (a process-local copy, while another process moved the conversation on): load
 * it again and apply the answer to the current step.
 */
export type SaveResult = 'saved' | 'taken' | 'outdated';

/** Drafts of reports in progress, shared by every bot process. */
export interface DraftStore {
  /** The current draft; `fresh` skips any process-local copy (use it where a stale copy would mislead). */
  get(key: string, now: Date, opts?: { fresh?: boolean }): Promise<StoredDraft | null>;
  /** Creates or replaces the draft at version 1, with its data key (a replaced draft's key is destroyed). */
  create(draft: Omit<StoredDraft, 'version'>): Promise<StoredDraft>;
  /** Saves if the stored version is still `expectedVersion`. */
  update(draft: StoredDraft, expectedVersion: number): Promise<SaveResult>;
  /** Deletes the draft, its draft evidence and its data key. */
  delete(key: string): Promise<void>;
  addMessages(key: string, ids: string[]): Promise<void>;
}

/** Evidence attached to a draft, already cleaned and sealed. */
export interface NewEvidence {
  id: string;
  draftKey: string;
  sealed: Sealed;
  sha256Original: string;
  sha256Stored: string;
  mime: string;
  bytes: number;
}

/** A report ready to commit. */
export interface NewReport {
  id: string;
  publicId: string;
  reporterHash: string;
  receiptHash: string;
  platform: string;
  category: Category;
  payload: Sealed;
  /** the relay route, sealed under its own key; null without consent to be contacted */
  route: Sealed | null;
  consentContact: boolean;
  consentShareNgo: boolean;
  consentShareLaw: boolean;
  stationId: string | null;
  period: string | null;
  /** the reporter said they are in danger right now */
  urgent: boolean;
  draftKey: string;
  createdAt: Date;
}

/** What a reporter may see of their own report. */
export interface OwnReport {
  id: string;
  publicId: string;
  reporterHash: string;
  category: string;
  status: string;
  createdAt: Date;
  updatedAt: Date;
  consentContact: boolean;
  consentShareNgo: boolean;
  consentShareLaw: boolean;
  payload: Sealed;
  /** the report's wrapped data key */
  dataKey: Sealed;
}

/** Committed reports, from the reporter's side. */
export interface ReportStore {
  addEvidence(e: NewEvidence): Promise<void>;
  /**
   * Commits the report in one transaction: rate limit, report row, draft evidence attached,
   * draft deleted, triage notice queued (`evidence`: how many images came with it).
   * `rate-limited` and `duplicate-id` change nothing.
   */
  submit(
    r: NewReport,
    limit: { perHour: number; now: Date },
  ): Promise<
    | { ok: true; evidence: number }
    | { ok: false; reason: 'rate-limited'; retryAfterMinutes: number }
    | { ok: false; reason: 'duplicate-id' }
  >;
  findByReceipt(receiptHash: string): Promise<OwnReport | null>;
  /**
   * Erases a report: its data key, evidence, notes, queued notices and audit timeline go; the
   * audit log keeps only that an erasure happened. The caller then asks for a compaction.
   * With `person` (the reporter's own /forget: "forget me"), that person's rate-limit counters go too.
   */
  erase(id: string, publicId: string, opts?: { person?: string }): Promise<void>;
}

/** An image cleaned of metadata. */
export type CleanImage =
  | { ok: true; bytes: Uint8Array; mime: 'image/jpeg' | 'image/png' | 'image/webp' }
  | { ok: false; reason: 'type' | 'corrupt' | 'too-large' };

/** Strips EXIF/GPS and other metadata from an image, checking its real type. */
export interface ImageCleaner {
  clean(bytes: Uint8Array): Promise<CleanImage>;
}
