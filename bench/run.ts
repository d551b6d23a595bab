/**
 * `npm run bench [-- --quick] [-- --runs 3] [-- --only startup,lookup,map,intake,telegram,discord]`:
 * prints the figures (p50/p99, throughput, RSS, start-up) as tables and writes them to
 * bench-results/bench-<time>.json. With --runs N every selected benchmark runs N times and a last
 * table gives each headline figure's min / median / max (the machine's noise). A script, not a
 * timed test: the numbers vary with the machine.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { bundledDatasetPath, readDatasetFile } from '../src/db/dataset-store.ts';
import { newKey } from '../src/core/crypto/crypto.ts';
import { benchLookup } from './lookup.bench.ts';
import { benchIntake } from './intake.bench.ts';
import { benchTelegram } from './telegram.bench.ts';
import { benchDiscord } from './discord.bench.ts';
import { benchMap } from './map.bench.ts';
import { ms, spread } from './stats.ts';

const root = fileURLToPath(new URL('../', import.meta.url));
const { values } = parseArgs({
  options: { quick: { type: 'boolean', default: false }, runs: { type: 'string', default: '1' }, only: { type: 'string' } },
});
const only = values.only ? new Set(values.only.split(',')) : undefined;
const want = (s: string) => !only || only.has(s);
const quick = values.quick;
const runs = Math.max(1, Number(values.runs) || 1);
const postgresUrl = process.env.LANTERN_BENCH_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const results: Record<string, unknown> = { when: new Date().toISOString(), node: process.version, quick, runs, rounds: [] as unknown[] };
/** headline figure -> its value in each run */
const headline = new Map<string, number[]>();
const note = (name: string, v: number) => headline.set(name, [...(headline.get(name) ?? []), v]);

function table(title: string, rows: Record<string, string | number>[]) {
  console.log(`\n${title}`);
  console.table(rows);
}

/** What `npm start` runs after "node" (its V8 flags and scripts/start.mjs), read from package.json. */
const START_ARGS = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start
  .split(' ')
  .slice(1);

/** Peak RSS (VmHWM) of a running process, in MB (Linux). */
function peakRssOf(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1000) : NaN;
}

/**
 * Starts the console bot and asks one lookup: the time to its first answer, and (started directly,
 * not through npm) its peak RSS once it answered. `npm` goes through `npm start` itself, npm's own
 * start-up included, as a person runs it; `node` runs what npm start runs (scripts/start.mjs).
 */
async function startupOnce(env: Record<string, string>, via: 'node' | 'npm'): Promise<{ ms: number; rssMB: number }> {
  const t = performance.now();
  const [cmd, args] = via === 'npm' ? ['npm', ['start', '--silent']] : [process.execPath, START_ARGS];
  const child = spawn(cmd, args, { cwd: root, env: { ...process.env, LOG_LEVEL: 'silent', ...env }, stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  const first = await new Promise<number>((resolve, reject) => {
    child.stdout.once('data', () => resolve(performance.now() - t));
    child.once('exit', (code) => reject(new Error(`start-up run exited ${code} before answering`)));
    child.stdin.write('/lookup New York\n');
  });
  const rssMB = via === 'node' ? peakRssOf(child.pid!) : NaN;
  child.stdin.end();
  const code = await exited;
  if (code !== 0) throw new Error(`start-up run exited ${code}`);
  return { ms: first, rssMB };
}

/** First start and warm starts of the console bot on one backend (directly, then through npm). */
async function startup(backend: string, env: Record<string, string>) {
  const first = await startupOnce(env, 'node');
  const warm: { ms: number; rssMB: number }[] = [];
  const viaNpm: number[] = [];
  for (let i = 0; i < (quick ? 2 : 5); i++) warm.push(await startupOnce(env, 'node'));
  for (let i = 0; i < (quick ? 2 : 5); i++) viaNpm.push((await startupOnce(env, 'npm')).ms);
  const s = spread(warm.map((w) => w.ms));
  const n = spread(viaNpm);
  return {
    backend,
    firstStartMs: first.ms,
    firstPeakRssMB: first.rssMB,
    warmMinMs: s.min,
    warmMedianMs: s.median,
    warmMaxMs: s.max,
    npmMedianMs: n.median,
    peakRssMB: Math.max(...warm.map((w) => w.rssMB)),
  };
}

async function benchStartup() {
  const rows = [];
  const dir = await mkdtemp(path.join(tmpdir(), 'lantern-startup-'));
  try {
    rows.push(await startup('PGlite', { LANTERN_DATA_DIR: dir }));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const admin = new pg.Client({ connectionString: postgresUrl });
  const reachable = await admin.connect().then(
    () => true,
    () => false,
  );
  if (reachable) {
    const name = `lantern_bench_startup_${process.pid}`;
    const dataDir = await mkdtemp(path.join(tmpdir(), 'lantern-startup-pg-'));
    try {
      await admin.query(`DROP DATABASE IF EXISTS ${name}`);
      await admin.query(`CREATE DATABASE ${name}`);
      const url = new URL(postgresUrl);
      url.pathname = `/${name}`;
      // PostgreSQL refuses keys kept in the data directory: they come from the environment here.
      rows.push(
        await startup('PostgreSQL', {
          LANTERN_DATA_DIR: dataDir,
          DATABASE_URL: url.toString(),
          LANTERN_ENCRYPTION_KEYS: `k1:${newKey()}`,
          LANTERN_HASH_KEY: newKey(),
        }),
      );
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
      await rm(dataDir, { recursive: true, force: true });
    }
  }
  return rows;
}

const dataset = await readDatasetFile(bundledDatasetPath);

for (let round = 1; round <= runs; round++) {
  if (runs > 1) console.log(`\n=== run ${round} of ${runs} ===`);
  const r: Record<string, unknown> = {};
  (results.rounds as unknown[]).push(r);

  if (want('startup')) {
    const rows = await benchStartup();
    r.startup = rows;
    for (const x of rows) note(`start-up, warm median (${x.backend}) ms`, x.warmMedianMs);
    for (const x of rows) note(`start-up through npm start, warm median (${x.backend}) ms`, x.npmMedianMs);
    for (const x of rows) note(`peak RSS of the console bot, warm start (${x.backend}) MB`, x.peakRssMB);
    table(
      'Start-up to first answer (console adapter, the compiled build; the first start includes migrations and seeding)',
      rows.map((x) => ({
        backend: x.backend,
        'first start ms': Math.round(x.firstStartMs),
        'warm min ms': Math.round(x.warmMinMs),
        'warm median ms': Math.round(x.warmMedianMs),
        'warm max ms': Math.round(x.warmMaxMs),
        'npm start median ms': Math.round(x.npmMedianMs),
        'peak RSS MB (warm)': x.peakRssMB,
        'peak RSS MB (first)': x.firstPeakRssMB,
      })),
    );
  }

  if (want('lookup')) {
    const x = await benchLookup(dataset, { iterations: quick ? 2000 : 20000 });
    r.lookup = x;
    for (const y of x.results) note(`lookup p99 (${y.dataset}) ms`, y.p99);
    table(
      'Lookup (core, full reply with citations)',
      x.results.map((y) => ({
        dataset: y.dataset,
        stations: y.stations,
        'p50 ms': ms(y.p50),
        'p99 ms': ms(y.p99),
        'max ms': ms(y.max),
        'lookups/s': Math.round(y.perSecond),
      })),
    );
    const g = x.gazetteer;
    console.log(
      `Gazetteer + 简/繁 converter: loaded in ${Math.round(g.loadMs)} ms; heap ${g.before.heap.toFixed(1)} -> ${g.after.heap.toFixed(1)} MB, RSS ${g.before.rss.toFixed(1)} -> ${g.after.rss.toFixed(1)} MB`,
    );
    note('lookup gazetteer heap MB', g.after.heap - g.before.heap);
    console.log(
      `Top-1 accuracy on the multilingual query set: ${x.accuracy.correct}/${x.accuracy.total}${x.accuracy.misses.length ? ` (misses: ${x.accuracy.misses.join('; ')})` : ''}`,
    );
  }

  if (want('map')) {
    const x = await benchMap(dataset, { rounds: quick ? 2 : 4, calls: quick ? 500 : 3000 });
    r.map = x;
    note('map uncached p99 ms', x.uncached.p99);
    note('map cached p99 ms', x.cached.p99);
    table(`Map (/map, ${x.places} places × 3 languages; targets p99 < 300 ms uncached, < 5 ms cached)`, [
      { kind: 'uncached', n: x.uncached.renders, 'p50 ms': ms(x.uncached.p50), 'p99 ms': ms(x.uncached.p99), 'max ms': ms(x.uncached.max) },
      { kind: 'cached', n: x.cached.calls, 'p50 ms': ms(x.cached.p50), 'p99 ms': ms(x.cached.p99), 'max ms': ms(x.cached.max) },
    ]);
    console.log(
      `RSS after each uncached round (MB): ${x.memory.rssMBAfterRounds.join(', ')}; heap: ${x.memory.heapMBAfterRounds.join(', ')}`,
    );
  }

  if (want('intake')) {
    const x = await benchIntake(dataset, { reports: quick ? 100 : 1000, concurrency: 50, postgresUrl });
    r.intake = x;
    for (const y of x.results) {
      note(`intake reports/s (${y.backend}, ${y.processes} process${y.processes > 1 ? 'es' : ''})`, y.perSecond);
      note(`intake step p99 (${y.backend}, ${y.processes} process${y.processes > 1 ? 'es' : ''}) ms`, y.stepP99);
      note(
        `intake CPU ms per report, bots + server (${y.backend}, ${y.processes} process${y.processes > 1 ? 'es' : ''})`,
        y.botCpuMsPerReport + y.serverCpuMsPerReport,
      );
    }
    table(
      'Report intake (complete conversations: 13 steps each, encrypted, committed; 50 people at once per bot process)',
      x.results.map((y) => ({
        backend: y.backend,
        'bot processes': y.processes,
        reports: y.reports,
        seconds: y.seconds.toFixed(2),
        'reports/s': y.perSecond.toFixed(1),
        'step p50 ms': ms(y.stepP50),
        'step p99 ms': ms(y.stepP99),
        'bot CPU ms/report': y.botCpuMsPerReport.toFixed(2),
        'server CPU ms/report': y.serverCpuMsPerReport.toFixed(2),
        'peak RSS MB': y.peakRssMB,
      })),
    );
    if (x.skipped) console.log(x.skipped);
  }

  for (const platform of ['telegram', 'discord'] as const) {
    if (!want(platform)) continue;
    const opts = { concurrency: [1, 50, 500], requestsPerLevel: quick ? 500 : 2000 };
    const rows = platform === 'telegram' ? await benchTelegram(opts) : await benchDiscord(opts);
    r[platform] = rows;
    for (const y of rows) {
      note(`${platform} p99 at ${y.level} users ms`, y.p99);
      note(`${platform} added p99 at ${y.level} users ms`, y.p99 - y.floorP99);
      note(`${platform} p99 ÷ floor p99 at ${y.level} users`, y.p99 / y.floorP99);
    }
    note(`${platform} peak RSS at 500 users MB`, rows.find((y) => y.level === 500)?.peakRssMB ?? NaN);
    table(
      `${platform === 'telegram' ? 'Telegram (update in -> last sendMessage out)' : 'Discord (interaction in -> callback out)'}: /lookup New York through the real adapter vs bare ${platform === 'telegram' ? 'grammY' : 'discord.js'} sending the same answer on the same fake`,
      rows.map((y) => ({
        users: y.level,
        'p50 ms': ms(y.p50),
        'p99 ms': ms(y.p99),
        'floor p50': ms(y.floorP50),
        'floor p99': ms(y.floorP99),
        'added p99 ms': ms(y.p99 - y.floorP99),
        'ratio p99': (y.p99 / y.floorP99).toFixed(2),
        'req/s': Math.round(y.throughput),
        'peak RSS MB': y.peakRssMB,
      })),
    );
  }
}

if (runs > 1) {
  const summary = [...headline].map(([figure, v]) => ({ figure, ...spread(v) }));
  results.summary = summary;
  table(
    `Over ${runs} runs (min / median / max)`,
    summary.map((x) => ({
      figure: x.figure,
      min: Number(x.min.toFixed(3)),
      median: Number(x.median.toFixed(3)),
      max: Number(x.max.toFixed(3)),
    })),
  );
}

/** Issue #17's targets, each checked against the median of the runs. */
const TARGETS: { figure: string; target: string; met: (v: number) => boolean }[] = [
  { figure: 'peak RSS of the console bot, warm start (PGlite) MB', target: '≤ 250', met: (v) => v <= 250 },
  { figure: 'peak RSS of the console bot, warm start (PostgreSQL) MB', target: '≤ 160', met: (v) => v <= 160 },
  { figure: 'start-up through npm start, warm median (PGlite) ms', target: '≤ 1200', met: (v) => v <= 1200 },
  ...(['telegram', 'discord'] as const).flatMap((p) =>
    [1, 50, 500].map((n) => ({ figure: `${p} p99 ÷ floor p99 at ${n} users`, target: '≤ 1.25', met: (v: number) => v <= 1.25 })),
  ),
  { figure: 'intake reports/s (PostgreSQL, 2 processes)', target: '≥ 1000', met: (v) => v >= 1000 },
  { figure: 'lookup p99 (10k synthetic) ms', target: '< 2', met: (v) => v < 2 },
  { figure: 'map uncached p99 ms', target: '< 300', met: (v) => v < 300 },
  { figure: 'map cached p99 ms', target: '< 5', met: (v) => v < 5 },
];
const checked = TARGETS.filter((x) => headline.has(x.figure)).map((x) => {
  const v = spread(headline.get(x.figure)!);
  return {
    figure: x.figure,
    min: Number(v.min.toFixed(3)),
    median: Number(v.median.toFixed(3)),
    max: Number(v.max.toFixed(3)),
    target: x.target,
    '': x.met(v.median) ? 'met' : 'NOT MET',
  };
});
results.targets = checked;
if (checked.length) table(`Targets (issue #17; the median of ${runs} run${runs > 1 ? 's' : ''} decides)`, checked);

await mkdir(path.join(root, 'bench-results'), { recursive: true });
const out = path.join(root, 'bench-results', `bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
await writeFile(
  out,
  JSON.stringify(results, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v), 2),
);
console.log(`\nFigures written to ${path.relative(root, out)}`);
