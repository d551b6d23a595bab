/**
 * A forensic carve: which files of a directory still hold any 16-byte piece of given values
 * (sealed ciphertexts, keys). What an examiner with the disk would run; the erasure tests use it.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

const PIECE = 16;

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await filesUnder(p)));
    else if (e.isFile()) out.push(p);
  }
  return out;
}

/**
 * The 16-byte pieces of the values, every 8 bytes: any surviving run of 24 bytes or more
 * contains one of them. Indexed by their first four bytes, so a file is scanned in one pass.
 */
function pieces(values: Uint8Array[]): Map<number, Buffer[]> {
  const index = new Map<number, Buffer[]>();
  for (const v of values) {
    const b = Buffer.from(v);
    for (let o = 0; o + PIECE <= b.length; o += 8) {
      const p = b.subarray(o, o + PIECE);
      const head = p.readUInt32LE(0);
      index.set(head, [...(index.get(head) ?? []), p]);
    }
  }
  return index;
}

/** Every file of the directory holding any of the pieces, with how many. */
export async function carve(dir: string, values: Uint8Array[]): Promise<Map<string, number>> {
  const index = pieces(values);
  const hits = new Map<string, number>();
  for (const f of await filesUnder(dir)) {
    const buf = await readFile(f);
    for (let o = 0; o + PIECE <= buf.length; o++) {
      const cands = index.get(buf.readUInt32LE(o));
      if (cands?.some((p) => buf.compare(p, 0, PIECE, o, o + PIECE) === 0))
        hits.set(path.relative(dir, f), (hits.get(path.relative(dir, f)) ?? 0) + 1);
    }
  }
  return hits;
}
