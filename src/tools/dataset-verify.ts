/** `npm run dataset:verify -- <sources dir> [dataset.json]`: checks the dataset's shape and that every quote is verbatim in its source's text. */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Dataset } from '../core/dataset/dataset.schema.ts';
import { readSourceTexts, verifyDataset } from '../core/dataset/verify.ts';

const [sourcesDir, datasetArg] = process.argv.slice(2);
if (!sourcesDir) {
  console.error('Usage: npm run dataset:verify -- <sources dir> [dataset.json]   (e.g. npm run dataset:verify -- ../shared/sources)');
  process.exit(2);
}
const datasetFile = datasetArg ?? fileURLToPath(new URL('../../prisma/dataset/lantern-dataset.json', import.meta.url));

let json: unknown;
let texts: Map<string, string>;
try {
  json = JSON.parse(await readFile(datasetFile, 'utf8'));
} catch (e) {
  console.error(`${datasetFile} is not readable JSON: ${(e as Error).message}`);
  process.exit(1);
}
try {
  texts = await readSourceTexts(sourcesDir);
} catch (e) {
  console.error(`cannot read the sources directory ${sourcesDir}: ${(e as Error).message}`);
  process.exit(1);
}

const problems = verifyDataset(json, texts);
if (problems.length > 0) {
  for (const p of problems) console.error(p);
  process.exit(1);
}
const d = Dataset.parse(json);
console.log(
  `dataset ok: ${d.sources.length} sources, ${d.stations.length} stations, ${d.claims.length} claims, ${d.claims.length} quotes verified`,
);
