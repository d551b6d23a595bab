/** Canned replies: operator-defined snippets in the three languages, named by a slug. */
import type { Locale } from '../i18n/locales.ts';

/** One snippet: its text in every language. */
export interface Snippet {
  slug: string;
  text: Record<Locale, string>;
}

/** Storage of snippets. */
export interface SnippetStore {
  list(): Promise<Snippet[]>;
  get(slug: string): Promise<Snippet | null>;
  /** Adds or replaces; audited. */
  put(s: Snippet, actorHash: string): Promise<void>;
  /** false when there was none; audited. */
  remove(slug: string, actorHash: string): Promise<boolean>;
}
