/**
 * The core on a fresh embedded database with the fixture dataset, as the intake and triage
 * specifications use it: a Telegram person's private context by name (a lead's with `triage`).
 */
import { buildDeps } from '../../src/app.ts';
import type { CoreContext } from '../../src/core/context.ts';
import { newKey, parseKeyring, pseudonym, type Keyring } from '../../src/core/crypto/crypto.ts';
import { DatasetView } from '../../src/core/dataset/dataset.view.ts';
import type { Relay } from '../../src/core/triage/triage.ports.ts';
import { replaceDataset } from '../../src/db/dataset-store.ts';
import { createLogger } from '../../src/logging.ts';
import { CAPABILITIES, fixtureDataset } from './memory.ts';
import { freshPglite, type TestDatabase } from './storage.ts';

/** What a specification gets: the database, the keys, and a context per person. */
export interface CoreOnPglite {
  h: TestDatabase;
  ring: Keyring;
  ctxOf(user: string, triage?: boolean): CoreContext;
}

/** `route`: each person's private chat is `chat-of-<name>`; `localFiles`: exports may be written plain. */
export async function coreOnPglite(
  opts: { relays?: Map<string, Relay>; route?: boolean; localFiles?: boolean } = {},
): Promise<CoreOnPglite> {
  const ring = parseKeyring(`k1:${newKey()}`, newKey());
  const h = await freshPglite();
  await replaceDataset(h.db.prisma, fixtureDataset, 'bundled');
  const settings = { reports: { ratePerHour: 50, retentionDays: 30, draftTtlMinutes: 60, evidenceMaxBytes: 5_000_000 } };
  const deps = buildDeps(h.db, ring, settings, createLogger('silent'), () => new DatasetView(fixtureDataset), opts.relays);
  const ctxOf = (user: string, triage = false): CoreContext => ({
    actor: { platform: 'telegram', id: pseudonym(ring, 'telegram', user), locale: 'en', triage },
    chat: 'private',
    capabilities: CAPABILITIES.telegram,
    deps,
    ...(opts.route ? { route: `chat-of-${user}` } : {}),
    ...(opts.localFiles ? { localFiles: true } : {}),
  });
  return { h, ring, ctxOf };
}
