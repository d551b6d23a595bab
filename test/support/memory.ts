/**
 * Small in-memory implementations of the core's ports, for core tests (no database), and a
 * builder for a CoreContext around them.
 */
import type { BlockRow, BlockStore } from '../../src/core/intake/blocks.ports.ts';
import type { Snippet, SnippetStore } from '../../src/core/triage/snippets.ports.ts';
import type { Actor, CoreContext, CoreDeps, Logger, PreferenceStore } from '../../src/core/context.ts';
import { newKey, parseKeyring, pseudonym } from '../../src/core/crypto/crypto.ts';
import { DatasetView } from '../../src/core/dataset/dataset.view.ts';
import type { Dataset } from '../../src/core/dataset/dataset.schema.ts';
import type { DraftStore, ImageCleaner, NewEvidence, NewReport, ReportStore, StoredDraft } from '../../src/core/intake/intake.ports.ts';
import type { Locale } from '../../src/core/i18n/locales.ts';
import type { AuditRow, TriageReport, TriageStore } from '../../src/core/triage/triage.ports.ts';
import type { ReportStatus, Severity } from '../../src/core/triage/triage.rules.ts';
import type { AnonymisedRow, AnonymisedStore } from '../../src/core/triage/export.ports.ts';
import type { GuessLimiter } from '../../src/core/intake/receipt-guesses.ts';
import { randomUUID } from 'node:crypto';
import { TELEGRAM_CAPABILITIES } from '../../src/adapters/telegram/capabilities.ts';
import { DISCORD_CAPABILITIES } from '../../src/adapters/discord/capabilities.ts';
import { CONSOLE_CAPABILITIES } from '../../src/adapters/console/capabilities.ts';

/** A logger that keeps every line (to check nothing sensitive is logged). */
export function memoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const log = (level: string) => (obj: object, msg?: string) => void lines.push(JSON.stringify({ level, ...obj, msg }));
  return { lines, debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

export function memoryPreferences(): PreferenceStore {
  const m = new Map<string, Locale>();
  return { getLocale: async (id) => m.get(id), setLocale: async (id, l) => void m.set(id, l), forget: async (id) => void m.delete(id) };
}

export function memoryDrafts(): DraftStore & { rows: Map<string, StoredDraft> } {
  const rows = new Map<string, StoredDraft>();
  return {
    rows,
    async get(key, now) {
      const d = rows.get(key);
      return d && d.expiresAt > now ? structuredClone(d) : null;
    },
    async create(d) {
      const stored = { ...d, version: 1 };
      rows.set(d.key, stored);
      return structuredClone(stored);
    },
    async update(d, expected) {
      const cur = rows.get(d.key);
      if (!cur || cur.version !== expected) return 'taken';
      rows.set(d.key, { ...structuredClone(d), messages: cur.messages });
      return 'saved';
    },
    async delete(key) {
      rows.delete(key);
    },
    async addMessages(key, ids) {
      rows.get(key)?.messages.push(...ids);
    },
  };
}

export function memoryReports(drafts: ReturnType<typeof memoryDrafts>): ReportStore & {
  reports: Map<string, NewReport & { status: ReportStatus }>;
  evidence: NewEvidence[];
  erased: string[];
  dataKeys: Map<string, { keyId: string; data: Uint8Array }>;
} {
  const reports = new Map<string, NewReport & { status: ReportStatus }>();
  const evidence: (NewEvidence & { reportId?: string })[] = [];
  const erased: string[] = [];
  const counts = new Map<string, number>();
  /** the data keys of committed reports (taken over from their drafts, as the database does) */
  const dataKeys = new Map<string, { keyId: string; data: Uint8Array }>();
  return {
    reports,
    evidence,
    erased,
    addEvidence: async (e) => void evidence.push(e),
    dataKeys,
    async submit(r, limit) {
      const window = `${r.reporterHash}:${Math.floor(limit.now.getTime() / 3_600_000)}`;
      const n = (counts.get(window) ?? 0) + 1;
      if (n > limit.perHour) return { ok: false, reason: 'rate-limited', retryAfterMinutes: 60 - limit.now.getUTCMinutes() };
      counts.set(window, n);
      reports.set(r.id, { ...r, status: 'new' });
      const draft = drafts.rows.get(r.draftKey);
      if (draft) dataKeys.set(r.id, draft.dataKey);
      const moved = evidence.filter((e) => e.draftKey === r.draftKey && !e.reportId);
      for (const e of moved) e.reportId = r.id;
      drafts.rows.delete(r.draftKey);
      return { ok: true, evidence: moved.length };
    },
    async findByReceipt(hash) {
      const r = [...reports.values()].find((x) => x.receiptHash === hash);
      if (!r) return null;
      const dataKey = dataKeys.get(r.id) ?? { keyId: '', data: new Uint8Array(0) };
      return {
        id: r.id,
        publicId: r.publicId,
        reporterHash: r.reporterHash,
        category: r.category,
        status: r.status,
        createdAt: r.createdAt,
        updatedAt: r.createdAt,
        consentContact: r.consentContact,
        consentShareNgo: r.consentShareNgo,
        consentShareLaw: r.consentShareLaw,
        payload: r.payload,
        dataKey,
      };
    },
    async erase(id, publicId) {
      reports.delete(id);
      dataKeys.delete(id);
      erased.push(publicId);
    },
  };
}

/** A triage store over the memory report store (enough for core tests and fuzzing). */
export function memoryTriage(reports: ReturnType<typeof memoryReports>): TriageStore {
  const audit: AuditRow[] = [];
  const severities = new Map<string, Severity>();
  const asTriage = (r: NewReport & { status: ReportStatus }): TriageReport => ({
    id: r.id,
    publicId: r.publicId,
    platform: r.platform,
    reporterHash: r.reporterHash,
    category: r.category,
    status: r.status,
    severity: severities.get(r.id) ?? null,
    stationId: r.stationId,
    period: r.period,
    assigneeHash: null,
    duplicateOf: null,
    consentContact: r.consentContact,
    consentShareNgo: r.consentShareNgo,
    consentShareLaw: r.consentShareLaw,
    createdAt: r.createdAt,
    updatedAt: r.createdAt,
    closedAt: null,
    payload: r.payload,
    route: r.route,
    dataKey: reports.dataKeys.get(r.id) ?? { keyId: '', data: new Uint8Array(0) },
  });
  const all = () => [...reports.reports.values()].map(asTriage);
  return {
    async queue(f) {
      const rows = all().filter((r) => f.statuses.includes(r.status));
      return { rows: rows.slice(f.skip, f.skip + f.take), total: rows.length };
    },
    get: async (publicId) => all().find((r) => r.publicId === publicId) ?? null,
    duplicatesOf: async () => [],
    evidence: async () => [],
    notes: async () => [],
    async update(id, patch, entry) {
      const r = reports.reports.get(id);
      if (r && patch.status) r.status = patch.status;
      if (patch.severity) severities.set(id, patch.severity);
      audit.push({ ...entry, id: String(audit.length), at: new Date() });
    },
    addNote: async (_n, entry) => void audit.push({ ...entry, id: String(audit.length), at: new Date() }),
    audit: async (entry) => void audit.push({ ...entry, id: String(audit.length), at: new Date() }),
    auditLog: async (f) =>
      audit
        .filter((a) => !f.reportRef || a.reportRef === f.reportRef)
        .slice(-f.take)
        .reverse(),
    select: async (f) => all().filter((r) => f.statuses.includes(r.status)),
    addSuggestion: async () => randomUUID(),
  };
}

/** Wrong receipt guesses in memory. */
export function memoryGuesses(): GuessLimiter {
  const counts = new Map<string, number>();
  const k = (key: string, w: Date) => `${key}@${w.toISOString()}`;
  return {
    count: async (key, w) => counts.get(k(key, w)) ?? 0,
    add: async (key, w) => void counts.set(k(key, w), (counts.get(k(key, w)) ?? 0) + 1),
  };
}

/** Anonymised versions in memory (sealed, as the real store keeps them). */
export function memoryAnonymised(triage: TriageStore): AnonymisedStore {
  const rows = new Map<string, AnonymisedRow>();
  return {
    get: async (reportId) => rows.get(reportId) ?? null,
    async put(row, entry) {
      rows.set(row.reportId, { authorHash: row.authorHash, updatedAt: new Date(), sealed: row.sealed });
      await triage.audit(entry);
    },
  };
}

/** Passes PNG/JPEG/WebP through (by magic bytes), refuses anything else. */
export function fakeImageCleaner(): ImageCleaner {
  return {
    async clean(b) {
      if (b.length < 8) return { ok: false, reason: 'corrupt' };
      if (b[0] === 0x89 && b[1] === 0x50) return { ok: true, bytes: b, mime: 'image/png' };
      if (b[0] === 0xff && b[1] === 0xd8) return { ok: true, bytes: b, mime: 'image/jpeg' };
      return { ok: false, reason: 'type' };
    },
  };
}

/** A tiny dataset for core tests. Test data only: it is not the bundled dataset. */
export const fixtureDataset: Dataset = {
  version: 'fixture-1',
  sources: [
    {
      id: 'fixture-source',
      publisher: 'Fixture Times',
      byline: null,
      title: 'A fixture article',
      date: '2022-09',
      dateApproximate: false,
      url: null,
      textFile: null,
      text: null,
      notes: null,
    },
  ],
  countries: [
    { code: 'IT', name: { en: 'Italy', 'zh-Hans': '意大利', 'zh-Hant': '義大利' }, aliases: ['Yidali'] },
    { code: 'CA', name: { en: 'Canada', 'zh-Hans': '加拿大', 'zh-Hant': '加拿大' }, aliases: ['Jianada'] },
  ],
  stations: [
    {
      id: 'it-prato',
      name: { en: 'Prato', 'zh-Hans': '普拉托', 'zh-Hant': '普拉托' },
      city: { en: 'Prato', 'zh-Hans': '普拉托', 'zh-Hant': '普拉托' },
      countryCode: 'IT',
      precision: 'city',
      address: null,
      latitude: 43.88,
      longitude: 11.1,
      countInCity: 1,
      aliases: [],
      statuses: [{ status: 'reported', date: '2022-12', dateApproximate: true, claimId: 'fixture-prato' }],
    },
    {
      id: 'ca-toronto-1',
      name: { en: 'Toronto (1 of 2)', 'zh-Hans': '多伦多（1/2）', 'zh-Hant': '多倫多（1/2）' },
      city: { en: 'Toronto', 'zh-Hans': '多伦多', 'zh-Hant': '多倫多' },
      countryCode: 'CA',
      precision: 'city',
      address: null,
      latitude: 43.65,
      longitude: -79.38,
      countInCity: 2,
      aliases: [],
      statuses: [{ status: 'reported', date: '2022-09', dateApproximate: false, claimId: 'fixture-toronto' }],
    },
  ],
  claims: [
    {
      id: 'fixture-prato',
      kind: 'station_report',
      stationId: 'it-prato',
      countryCode: 'IT',
      speaker: null,
      text: { en: 'Prato claim', 'zh-Hans': '普拉托陈述', 'zh-Hant': '普拉托陳述' },
      sourceId: 'fixture-source',
      quote: 'a station in Prato',
      date: 'unknown',
      dateApproximate: false,
      places: [],
      topics: [],
      answers: [],
    },
    {
      id: 'fixture-toronto',
      kind: 'station_report',
      stationId: 'ca-toronto-1',
      countryCode: 'CA',
      speaker: null,
      text: { en: 'Toronto claim', 'zh-Hans': '多伦多陈述', 'zh-Hant': '多倫多陳述' },
      sourceId: 'fixture-source',
      quote: 'stations in Toronto',
      date: 'unknown',
      dateApproximate: false,
      places: [],
      topics: [],
      answers: [],
    },
    {
      id: 'fixture-denial',
      kind: 'official_response',
      stationId: null,
      countryCode: null,
      speaker: 'A ministry',
      text: { en: 'A ministry denied it', 'zh-Hans': '某部否认', 'zh-Hant': '某部否認' },
      sourceId: 'fixture-source',
      quote: 'we deny it',
      date: 'unknown',
      dateApproximate: false,
      places: [],
      topics: [],
      answers: [],
    },
  ],
  topics: [],
  disagreements: [],
};

/** Blocks in memory (no audit trail: the PGlite tests check that). */
export function memoryBlocks(): BlockStore {
  const rows = new Map<string, BlockRow & { reporterHash: string }>();
  return {
    blockedUntil: async (h, now) => [...rows.values()].find((b) => b.reporterHash === h && b.until > now)?.until ?? null,
    block: async (b) => void rows.set(b.publicId, { publicId: b.publicId, until: b.until, reason: b.reason, reporterHash: b.reporterHash }),
    unblock: async (publicId) => rows.delete(publicId),
    list: async (now) => [...rows.values()].filter((b) => b.until > now),
  };
}

/** Snippets in memory. */
export function memorySnippets(): SnippetStore {
  const rows = new Map<string, Snippet>();
  return {
    list: async () => [...rows.values()],
    get: async (slug) => rows.get(slug) ?? null,
    put: async (s) => void rows.set(s.slug, s),
    remove: async (slug) => rows.delete(slug),
  };
}

/** In-memory deps around a dataset; `overrides` replace any port. */
export function memoryDeps(dataset: Dataset = fixtureDataset, overrides: Partial<CoreDeps> = {}) {
  const keyring = parseKeyring(`k1:${newKey()}`, newKey());
  const drafts = memoryDrafts();
  const reports = memoryReports(drafts);
  const triageStore = memoryTriage(reports);
  const view = new DatasetView(dataset);
  const log = memoryLogger();
  let now = new Date('2026-11-22T12:00:00Z');
  const deps: CoreDeps = {
    dataset: () => view,
    preferences: memoryPreferences(),
    clock: { now: () => now },
    log,
    intake: {
      keyring,
      drafts,
      reports,
      images: fakeImageCleaner(),
      settings: { ratePerHour: 5, draftTtlMinutes: 60, evidenceMaxBytes: 1_000_000 },
      guesses: memoryGuesses(),
      blocks: memoryBlocks(),
    },
    triage: {
      store: triageStore,
      relays: new Map(),
      anonymised: memoryAnonymised(triageStore),
      exports: { recipients: [], deleteDecryptedAfterSeconds: 0 },
      snippets: memorySnippets(),
    },
    ...overrides,
  };
  return { deps, keyring, drafts, reports, log, setNow: (d: Date) => void (now = d) };
}

/** What each platform's adapter declares (contexts built here behave as that adapter's would). */
export const CAPABILITIES = { telegram: TELEGRAM_CAPABILITIES, discord: DISCORD_CAPABILITIES, console: CONSOLE_CAPABILITIES } as const;

/** A context for a person on a platform. */
export function contextFor(
  deps: CoreDeps,
  opts: {
    user?: string;
    locale?: Locale;
    chat?: 'private' | 'public';
    triage?: boolean;
    platform?: Actor['platform'];
    route?: string;
  } = {},
): CoreContext {
  const keyring = deps.intake?.keyring ?? parseKeyring(`k1:${newKey()}`, newKey());
  const platform = opts.platform ?? 'telegram';
  return {
    actor: { platform, id: pseudonym(keyring, platform, opts.user ?? '1001'), locale: opts.locale ?? 'en', triage: opts.triage ?? false },
    chat: opts.chat ?? 'private',
    deps,
    capabilities: CAPABILITIES[platform],
    ...(opts.route ? { route: opts.route } : {}),
  };
}
