/**
 * Report intake throughput: complete, encrypted, committed report conversations per second, and
 * the latency of one intake step, on PGlite, on PostgreSQL with one bot process, and with two bot
 * processes sharing it. Each bot process is a child (intake.worker.ts), started and connected
 * before the clock starts; throughput is all reports over the time until the last one finished.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { newKey } from '../src/core/crypto/crypto.ts';
import type { Dataset } from '../src/core/dataset/dataset.schema.ts';
import { openDatabase } from '../src/db/client.ts';
import { replaceDataset } from '../src/db/dataset-store.ts';
import { quantile } from './stats.ts';

const root = fileURLToPath(new URL('../', import.meta.url));

export interface IntakeResult {
  backend: string;
  processes: number;
  reports: number;
  seconds: number;
  perSecond: number;
  stepP50: number;
  stepP99: number;
  /** the largest peak RSS of one bot process */
  peakRssMB: number;
  /** CPU time the bot processes spent per report (user + system) */
  botCpuMsPerReport: number;
  /** CPU time PostgreSQL's server processes spent per report (0 for PGlite, inside the bot) */
  serverCpuMsPerReport: number;
}

interface WorkerOut {
  reports: number;
  seconds: number;
  cpuMs: number;
  steps: number[];
  peakRssMB: number;
}

/** CPU time (user + system) of every PostgreSQL server process on this machine, in ms (Linux /proc). */
function serverCpuMs(): number {
  let ticks = 0;
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      if (!/\(postgres/.test(stat.slice(0, close + 1))) continue;
      const f = stat.slice(close + 2).split(' ');
      ticks += Number(f[11]) + Number(f[12]); // utime, stime (fields 14 and 15)
    } catch {
      // the process ended between the listing and the read
    }
  }
  return (ticks * 1000) / 100; // USER_HZ is 100 on Linux
}

/** Runs `processes` bot processes on one database, `reports` reports in all. */
async function run(
  backend: string,
  db: { dataDir?: string; databaseUrl?: string },
  processes: number,
  reports: number,
  concurrency: number,
): Promise<IntakeResult> {
  const keys = `k1:${newKey()}`;
  const hashKey = newKey();
  const children = Array.from({ length: processes }, (_, w) => {
    // BENCH_CPU_PROF=<dir>: each bot process writes a V8 CPU profile there (where the time goes)
    const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
    const child = spawn(process.execPath, [...profile, '--import', 'tsx', 'bench/intake.worker.ts'], {
      cwd: root,
      env: {
        ...process.env,
        BENCH_WORKER: String(w),
        BENCH_REPORTS: String(Math.ceil(reports / processes)),
        BENCH_CONCURRENCY: String(concurrency),
        BENCH_KEYS: keys,
        BENCH_HASH_KEY: hashKey,
        ...(db.dataDir ? { BENCH_DATA_DIR: db.dataDir } : {}),
        ...(db.databaseUrl ? { BENCH_DATABASE_URL: db.databaseUrl } : {}),
      },
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const lines = createInterface({ input: child.stdout });
    const ready = new Promise<void>((resolve, reject) => {
      lines.once('line', (l) => (l === 'ready' ? resolve() : reject(new Error(`worker said ${l}`))));
      child.once('exit', (code) => reject(new Error(`worker exited ${code} before it was ready`)));
    });
    const done = new Promise<WorkerOut>((resolve, reject) => {
      lines.on('line', (l) => l.startsWith('{') && resolve(JSON.parse(l) as WorkerOut));
      child.once('exit', (code) => reject(new Error(`worker exited ${code} before its figures`)));
    });
    const exited = new Promise<void>((resolve, reject) =>
      child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`worker exited ${code}`)))),
    );
    return { child, ready, done, exited };
  });
  for (const c of children) await c.ready;
  const server0 = serverCpuMs();
  const started = performance.now();
  for (const c of children) c.child.stdin.write('go\n');
  const outs = await Promise.all(children.map((c) => c.done));
  const seconds = (performance.now() - started) / 1000;
  // read while the workers are still connected: a server process's time is gone with it
  const serverMs = serverCpuMs() - server0;
  for (const c of children) c.child.stdin.end();
  await Promise.all(children.map((c) => c.exited));
  const steps = outs.flatMap((o) => o.steps);
  const total = outs.reduce((n, o) => n + o.reports, 0);
  const botCpuMsPerReport = outs.reduce((n, o) => n + o.cpuMs, 0) / total;
  const serverCpuMsPerReport = backend === 'PostgreSQL' ? serverMs / total : 0;
  return {
    backend,
    processes,
    reports: total,
    seconds,
    perSecond: total / seconds,
    stepP50: quantile(steps, 0.5),
    stepP99: quantile(steps, 0.99),
    peakRssMB: Math.max(...outs.map((o) => o.peakRssMB)),
    botCpuMsPerReport,
    serverCpuMsPerReport,
  };
}

/** Intake throughput on PGlite and (if reachable) PostgreSQL with one and two bot processes. */
export async function benchIntake(
  dataset: Dataset,
  opts: { reports: number; concurrency: number; postgresUrl?: string },
): Promise<{ results: IntakeResult[]; skipped?: string }> {
  const results: IntakeResult[] = [];
  const dir = await mkdtemp(path.join(tmpdir(), 'lantern-bench-'));
  try {
    const lite = await openDatabase({ dataDir: dir }); // migrate and seed before the clock starts
    await replaceDataset(lite.prisma, dataset, 'bundled');
    await lite.close();
    results.push(await run('PGlite', { dataDir: dir }, 1, opts.reports, opts.concurrency));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  if (!opts.postgresUrl) return { results };
  const admin = new pg.Client({ connectionString: opts.postgresUrl });
  try {
    await admin.connect();
  } catch (e) {
    return { results, skipped: `PostgreSQL not reachable: ${(e as Error).message}` };
  }
  try {
    for (const processes of [1, 2]) {
      const name = `lantern_bench_${process.pid}_${processes}`;
      await admin.query(`DROP DATABASE IF EXISTS ${name}`);
      await admin.query(`CREATE DATABASE ${name}`);
      const url = new URL(opts.postgresUrl);
      url.pathname = `/${name}`;
      try {
        const db = await openDatabase({ dataDir: '', databaseUrl: url.toString() });
        await replaceDataset(db.prisma, dataset, 'bundled');
        await db.close();
        results.push(await run('PostgreSQL', { databaseUrl: url.toString() }, processes, opts.reports * 2, opts.concurrency));
      } finally {
        await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      }
    }
  } finally {
    await admin.end();
  }
  return { results };
}
