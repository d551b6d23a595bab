/**
 * A process-local copy of the drafts this process is working on, in front of the shared
 * DraftStore. Each intake step then costs one database round trip (the versioned update) instead
 * of two (read, then update). The copies are sealed blobs, as stored: nothing is kept in clear.
 *
 * A copy can be out of date when another process moved the conversation on (several bot
 * processes behind one PostgreSQL). The versioned update finds that out: the update fails, and
 * if no answer from this process advanced the draft meanwhile, the copy was simply outdated, so
 * the caller is told 'outdated' and applies the answer again to the current draft. If an answer
 * from this process did advance it (a double tap), the result stays 'taken'.
 */
import type { DraftStore, SaveResult, StoredDraft } from './intake.ports.ts';

export function cachedDrafts(store: DraftStore, maxEntries = 10_000): DraftStore {
  const copies = new Map<string, StoredDraft>();
  /** updates of each draft on their way to the store */
  const saving = new Map<string, number>();
  const keep = (d: StoredDraft) => {
    copies.delete(d.key); // re-inserted last: the Map's order is least recently used first
    if (copies.size >= maxEntries) copies.delete(copies.keys().next().value!);
    copies.set(d.key, d);
  };
  return {
    async get(key, now, opts) {
      const copy = opts?.fresh ? undefined : copies.get(key);
      if (copy && copy.expiresAt > now) return copy;
      const d = await store.get(key, now, opts);
      if (d) keep(d);
      else copies.delete(key);
      return d;
    },
    async create(draft) {
      const d = await store.create(draft);
      keep(d);
      return d;
    },
    async update(draft, expectedVersion): Promise<SaveResult> {
      saving.set(draft.key, (saving.get(draft.key) ?? 0) + 1);
      let result: SaveResult;
      try {
        result = await store.update(draft, expectedVersion);
        if (result === 'saved') keep({ ...draft, messages: copies.get(draft.key)?.messages ?? draft.messages });
      } finally {
        const n = saving.get(draft.key)! - 1;
        if (n) saving.set(draft.key, n);
        else saving.delete(draft.key);
      }
      if (result === 'saved') return result;
      const copy = copies.get(draft.key);
      // Another answer from this process was saved first, or is being saved: this one is dropped.
      if ((copy && copy.version > expectedVersion) || saving.has(draft.key)) return 'taken';
      copies.delete(draft.key);
      return 'outdated';
    },
    async delete(key) {
      copies.delete(key);
      await store.delete(key);
    },
    async addMessages(key, ids) {
      await store.addMessages(key, ids);
      const copy = copies.get(key);
      if (copy) copies.set(key, { ...copy, messages: [...copy.messages, ...ids] });
    },
  };
}
