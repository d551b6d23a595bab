/**
 * SVG to PNG with resvg (off the main thread), and the cache of rendered
 * maps: one PNG per dataset version, language and place, rendered at most once (concurrent asks
 * share the render) and kept in a bounded least-recently-used list.
 */
// resvg is loaded with the first map or chart, not at start.
let resvg: Promise<typeof import('@resvg/resvg-js')> | undefined;

/** Rasterises an SVG (text already drawn as paths, see map.text.ts) to PNG bytes, off the main thread. */
export async function svgToPng(svg: string): Promise<Uint8Array> {
  // No fonts at all: every label is a path, and scanning system fonts is slow.
  const { renderAsync } = await (resvg ??= import('@resvg/resvg-js'));
  const image = await renderAsync(svg, { font: { loadSystemFonts: false }, logLevel: 'off' });
  return new Uint8Array(image.asPng());
}

/** Rendered maps by key. @example await cache.get('2026-11-22.1|en|world', () => svgToPng(svg)) */
export class MapCache {
  private readonly entries = new Map<string, Promise<Uint8Array>>();
  /** renders done (not served from the cache), for tests and the bench */
  renders = 0;

  constructor(readonly maxEntries = 64) {}

  /** The PNG for `key`, made by `make` only if it is not cached (or being made). */
  get(key: string, make: () => Promise<Uint8Array>): Promise<Uint8Array> {
    const known = this.entries.get(key);
    if (known) {
      // Re-inserted: the Map's order is the recency order.
      this.entries.delete(key);
      this.entries.set(key, known);
      return known;
    }
    this.renders++;
    const made = make();
    // A failed render is not remembered: the next ask tries again.
    made.catch(() => this.entries.get(key) === made && this.entries.delete(key));
    this.entries.set(key, made);
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    return made;
  }

  /** How many maps are kept. */
  get size(): number {
    return this.entries.size;
  }
}
