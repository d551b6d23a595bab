/**
 * Numbers the claims a reply cites, in order of first use, and turns them into citations. One
 * source and quote is one citation, however many statements rest on it (the same sentence of a
 * report backs several figures): it is printed once per answer.
 */
import type { DatasetView } from '../dataset/dataset.view.ts';
import type { Citation } from '../reply.ts';

/** Collects citations for one reply. @example const c = new Citations(view); c.cite('claim-id') // 1 */
export class Citations {
  private list: Citation[] = [];
  private byClaim = new Map<string, number>();
  private byQuote = new Map<string, number>();

  constructor(private readonly view: DatasetView) {}

  /** The citation number of a claim, adding it on first use (or reusing its source and quote's). */
  cite(claimId: string): number {
    const known = this.byClaim.get(claimId);
    if (known) return known;
    const claim = this.view.claims.get(claimId);
    if (!claim) throw new Error(`dataset integrity: unknown claim ${claimId}`);
    const source = this.view.sources.get(claim.sourceId);
    if (!source) throw new Error(`dataset integrity: claim ${claimId} cites unknown source ${claim.sourceId}`);
    const key = `${source.id}\u0000${claim.quote}`;
    const same = this.byQuote.get(key);
    if (same) {
      this.byClaim.set(claimId, same);
      return same;
    }
    const n = this.list.length + 1;
    this.list.push({
      n,
      claimId,
      sourceId: source.id,
      publisher: source.publisher,
      title: source.title,
      date: source.date,
      dateApproximate: source.dateApproximate,
      url: source.url,
      quote: claim.quote,
    });
    this.byClaim.set(claimId, n);
    this.byQuote.set(key, n);
    return n;
  }

  /** Numbers of several claims, each once, in order. */
  citeAll(claimIds: Iterable<string>): number[] {
    return [...new Set([...claimIds].map((id) => this.cite(id)))];
  }

  /** An independent copy (to try a piece of an answer before keeping it). */
  copy(): Citations {
    const c = new Citations(this.view);
    c.list = [...this.list];
    c.byClaim = new Map(this.byClaim);
    c.byQuote = new Map(this.byQuote);
    return c;
  }

  /** The citations this copy added beyond `base`. */
  added(base: Citations): Citation[] {
    return this.list.slice(base.list.length);
  }

  /** Takes over a copy's state (keeping what was tried). */
  adopt(other: Citations): void {
    this.list = other.list;
    this.byClaim = other.byClaim;
    this.byQuote = other.byQuote;
  }

  /** The citations so far, numbered from 1. */
  all(): Citation[] {
    return [...this.list];
  }
}
