/**
 * The bundled dataset with the fields the dataset work fills in (#12): places named in claims,
 * denials and rebuttals linked by `answers`, one disagreement. Each place below is named in the
 * claim's own text; the links and the disagreement's wording are test data, never served.
 */
import { readFileSync } from 'node:fs';
import { Dataset } from '../../src/core/dataset/dataset.schema.ts';
import { bundledDatasetPath } from '../../src/db/dataset-store.ts';

const PLACES: Record<string, string[]> = {
  'it-joint-patrols': ['Rome', 'Milan', 'Naples'],
  'rs-belgrade-patrols': ['Belgrade'],
  'hr-zagreb-patrols': ['Zagreb'],
  'hr-zagreb-officer-xinhua': ['Zagreb'],
  'za-consulate-unites-communities': ['Cape Town'],
  'za-consulate-no-law-enforcement': ['Cape Town'],
  'it-prato-report': ['Prato', 'Florence'],
  'european-joint-policing': ['Romania'],
};

/** Claim → the claims it answers (a denial answers a report, a rebuttal answers a denial). */
const ANSWERS: Record<string, string[]> = {
  'cn-volunteers': ['it-prato-report'],
  'sd-pp-135-hired-21-posts': ['cn-volunteers'],
};

/** The fixture's disagreement (between the investigation and the "shut down" report). */
export const DISAGREEMENT = {
  id: 'nl-investigating-or-shut',
  claimIds: ['nl-amsterdam-investigation', 'nl-shut-down-amac'],
  text: {
    en: 'the Dutch government describes an investigation; AMAC Newsline writes the stations were shut down.',
    'zh-Hans': '荷兰政府称正在调查；AMAC Newsline 称站点已被关闭。',
    'zh-Hant': '荷蘭政府稱正在調查；AMAC Newsline 稱站點已被關閉。',
  },
};

/** The bundled dataset plus the fixture's places, answers and disagreement. */
export function lookupFixture(): Dataset {
  const d = Dataset.parse(JSON.parse(readFileSync(bundledDatasetPath, 'utf8')));
  for (const c of d.claims) {
    if (PLACES[c.id]) c.places = PLACES[c.id]!;
    if (ANSWERS[c.id]) c.answers = ANSWERS[c.id]!;
  }
  for (const id of [...Object.keys(PLACES), ...Object.keys(ANSWERS), ...DISAGREEMENT.claimIds, ...Object.values(ANSWERS).flat()])
    if (!d.claims.some((c) => c.id === id)) throw new Error(`fixture names unknown claim ${id}`);
  return Dataset.parse({ ...d, disagreements: [DISAGREEMENT] });
}
