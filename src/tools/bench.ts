/**
 * `npm run bench [-- --quick] [-- --only lookup,intake,startup,telegram,discord]`: prints the
 * figures (p50/p99, throughput, RSS, start-up) as a table and writes them to
 * bench-results/bench-<time>.json. A script, not a timed test: the numbers vary with the machine.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { bundledDatasetPath, readDatasetFile } from '../db/dataset-store.ts';
import { benchLookup } from './bench/lookup.bench.ts';
import { benchIntake } from './bench/intake.bench.ts';
import { ms } from './bench/stats.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false }, only: { type: 'string' } } });
const only = values.only ? new Set(values.only.split(',')) : undefined;
const want = (s: string) => !only || only.has(s);
const quick = values.quick;
const results: Record<string, unknown> = { when: new Date().toISOString(), node: process.version, quick };
let peakRss = process.memoryUsage().rss;
const rssTimer = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);

function table(title: string, rows: Record<string, string | number>[]) {
  console.log(`\n${title}`);
  console.table(rows);
}

/** Time from spawning `npm start`'s command to its first answer on stdout (waits for the exit too). */
async function startupOnce(dataDir: string): Promise<number> {
  const t = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: root, env: { ...process.env, LANTERN_DATA_DIR: dataDir, LOG_LEVEL: 'silent' }, stdio: ['pipe', 'pipe', 'inherit'] });
  const first = new Promise<number>((resolve) => child.stdout.once('data', () => resolve(performance.now() - t)));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  child.stdin.end('/help\n');
  const code = await exited;
  if (code !== 0) throw new Error(`start-up run exited ${code}`);
  return first;
}

const dataset = await readDatasetFile(bundledDatasetPath);

if (want('startup')) {
  const dir = await mkdtemp(path.join(tmpdir(), 'lantern-startup-'));
  const first = await startupOnce(dir);
  const warm: number[] = [];
  for (let i = 0; i < (quick ? 2 : 5); i++) warm.push(await startupOnce(dir));
  await rm(dir, { recursive: true, force: true });
  warm.sort((a, b) => a - b);
  results.startup = { firstStartMs: first, warmStartMinMs: warm[0], warmStartMedianMs: warm[Math.floor(warm.length / 2)], warmStartMaxMs: warm[warm.length - 1] };
  table('Start-up to first answer (console adapter, PGlite; first start includes migrations and seeding)', [
    { run: 'first start (new data dir)', ms: ms(first) },
    { run: 'warm start min', ms: ms(warm[0]!) },
    { run: 'warm start median', ms: ms(warm[Math.floor(warm.length / 2)]!) },
    { run: 'warm start max', ms: ms(warm[warm.length - 1]!) },
  ]);
}

if (want('lookup')) {
  const r = await benchLookup(dataset, { iterations: quick ? 2000 : 20000 });
  results.lookup = r;
  table('Lookup (core, full reply with citations)', r.results.map((x) => ({ dataset: x.dataset, stations: x.stations, 'p50 ms': ms(x.p50), 'p99 ms': ms(x.p99), 'max ms': ms(x.max), 'lookups/s': Math.round(x.perSecond) })));
  console.log(`Top-1 accuracy on the multilingual query set: ${r.accuracy.correct}/${r.accuracy.total}${r.accuracy.misses.length ? ` (misses: ${r.accuracy.misses.join('; ')})` : ''}`);
}

if (want('intake')) {
  const r = await benchIntake(dataset, { reports: quick ? 100 : 500, concurrency: 50, postgresUrl: process.env.LANTERN_BENCH_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres' });
  results.intake = r;
  table(
    'Report intake (complete conversations: 13 steps each, encrypted, committed)',
    r.results.map((x) => ({ backend: x.backend, 'bot processes': x.processes, reports: x.reports, seconds: x.seconds.toFixed(2), 'reports/s': x.perSecond.toFixed(1), 'step p50 ms': ms(x.stepP50), 'step p99 ms': ms(x.stepP99), 'peak RSS MB': x.peakRssMB })),
  );
  if ('skipped' in r && r.skipped) console.log(r.skipped);
}

for (const platform of ['telegram', 'discord'] as const) {
  if (!want(platform)) continue;
  const file = path.join(root, `src/tools/bench/${platform}.bench.ts`);
  if (!existsSync(file)) continue;
  const mod = (await import(file)) as Record<string, (o: { concurrency: number[]; requestsPerLevel: number }) => Promise<{ level: number; p50: number; p99: number; throughput: number; floorP50: number; floorP99: number }[]>>;
  const fn = mod[platform === 'telegram' ? 'benchTelegram' : 'benchDiscord'];
  if (!fn) continue;
  const rows = await fn({ concurrency: [1, 50, 500], requestsPerLevel: quick ? 500 : 2000 });
  results[platform] = rows;
  table(
    `${platform === 'telegram' ? 'Telegram (update in -> sendMessage out)' : 'Discord (interaction in -> callback out)'}: /lookup New York through the real adapter vs the bare library echo on the same fake`,
    rows.map((x) => ({ users: x.level, 'p50 ms': ms(x.p50), 'p99 ms': ms(x.p99), 'floor p50': ms(x.floorP50), 'floor p99': ms(x.floorP99), 'added p99 ms': ms(x.p99 - x.floorP99), 'ratio p99': (x.p99 / x.floorP99).toFixed(2), 'req/s': Math.round(x.throughput) })),
  );
}

clearInterval(rssTimer);
results.peakRssMB = Math.round(peakRss / 1e6);
console.log(`\nPeak RSS of the benchmark process: ${results.peakRssMB} MB`);
await mkdir(path.join(root, 'bench-results'), { recursive: true });
const out = path.join(root, 'bench-results', `bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
await writeFile(out, JSON.stringify(results, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v), 2));
console.log(`Figures written to ${path.relative(root, out)}`);
