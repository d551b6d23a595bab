/**
 * Discord client languages seen, by pseudonym, for the DMs (a message carries no locale, an
 * interaction does). Bounded: the oldest is forgotten first; memory only, never stored.
 */
export class RecentLocales {
  private readonly map = new Map<string, string>();
  constructor(private readonly max = 10_000) {}
  set(id: string, locale: string): void {
    this.map.delete(id);
    this.map.set(id, locale);
    if (this.map.size > this.max) this.map.delete(this.map.keys().next().value!);
  }
  get(id: string): string | undefined {
    return this.map.get(id);
  }
}
