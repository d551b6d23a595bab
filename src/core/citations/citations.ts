/** Numbers the claims a reply cites, in order of first use, and turns them into citations. */
import type { DatasetView } from '../dataset/dataset.view.ts';
import type { Citation } from '../reply.ts';

/** Collects citations for one reply. @example const c = new Citations(view); c.cite('claim-id') // 1 */
export class Citations {
  private readonly list: Citation[] = [];
  private readonly byClaim = new Map<string, number>();

  constructor(private readonly view: DatasetView) {}

  /** The citation number of a claim, adding it on first use. */
  cite(claimId: string): number {
    const known = this.byClaim.get(claimId);
    if (known) return known;
    const claim = this.view.claims.get(claimId);
    if (!claim) throw new Error(`dataset integrity: unknown claim ${claimId}`);
    const source = this.view.sources.get(claim.sourceId);
    if (!source) throw new Error(`dataset integrity: claim ${claimId} cites unknown source ${claim.sourceId}`);
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
    return n;
  }

  /** The citations so far, numbered from 1. */
  all(): Citation[] {
    return [...this.list];
  }
}
