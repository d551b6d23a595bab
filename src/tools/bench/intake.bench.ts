/**
 * Report intake throughput: complete, encrypted, committed report conversations per second, and
 * the latency of one intake step, on PGlite and on PostgreSQL.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { allCommands } from '../../../commands/index.ts';
import { buildDeps } from '../../app.ts';
import { newKey, parseKeyring, pseudonym } from '../../core/crypto/crypto.ts';
import type { Dataset } from '../../core/dataset/dataset.schema.ts';
import { DatasetView } from '../../core/dataset/dataset.view.ts';
import { Lantern } from '../../core/lantern.ts';
import type { CoreContext, Logger } from '../../core/context.ts';
import { openDatabase, type Database } from '../../db/client.ts';
import { replaceDataset } from '../../db/dataset-store.ts';
import { fileReport } from '../../../test/support/intake-driver.ts';
import { quantile } from './stats.ts';

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {} };

async function run(db: Database, dataset: Dataset, reports: number, concurrency: number) {
  await replaceDataset(db.prisma, dataset, 'bundled');
  const keyring = parseKeyring(`k1:${newKey()}`, newKey());
  const view = new DatasetView(dataset);
  const deps = buildDeps(db, keyring, { reports: { ratePerHour: 1000, retentionDays: 30, draftTtlMinutes: 60, evidenceMaxBytes: 5_000_000 } }, silent, () => view);
  const lantern = new Lantern(allCommands);
  const steps: number[] = [];
  const timed = new Proxy(lantern, {
    get(target, prop, recv) {
      const v = Reflect.get(target, prop, recv);
      if (typeof v !== 'function' || !['command', 'choice', 'text', 'file'].includes(String(prop))) return v;
      return async (...args: unknown[]) => {
        const t = performance.now();
        try {
          return await (v as (...a: unknown[]) => unknown).apply(target, args);
        } finally {
          steps.push(performance.now() - t);
        }
      };
    },
  });
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < reports) {
        const i = next++;
        const ctx: CoreContext = { actor: { platform: 'telegram', id: pseudonym(keyring, 'telegram', `bench-${i}`), locale: 'en', triage: false }, chat: 'private', deps, route: `r${i}` };
        await fileReport(timed, ctx, { category: 'surveillance', when: '2025-06', where: 'Prato', what: `Benchmark report number ${i}: someone followed me home from work.`, contact: 'none' });
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { reports, seconds, perSecond: reports / seconds, stepP50: quantile(steps, 0.5), stepP99: quantile(steps, 0.99) };
}

/** Intake throughput on PGlite and (if reachable) PostgreSQL. */
export async function benchIntake(dataset: Dataset, opts: { reports: number; concurrency: number; postgresUrl?: string }) {
  const out: ({ backend: string } & Awaited<ReturnType<typeof run>>)[] = [];
  const dir = await mkdtemp(path.join(tmpdir(), 'lantern-bench-'));
  const lite = await openDatabase({ dataDir: dir });
  try {
    out.push({ backend: 'PGlite', ...(await run(lite, dataset, opts.reports, opts.concurrency)) });
  } finally {
    await lite.close();
    await rm(dir, { recursive: true, force: true });
  }
  if (opts.postgresUrl) {
    const name = `lantern_bench_${process.pid}`;
    const admin = new pg.Client({ connectionString: opts.postgresUrl });
    try {
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${name}`);
      await admin.query(`CREATE DATABASE ${name}`);
    } catch (e) {
      await admin.end().catch(() => {});
      return { results: out, skipped: `PostgreSQL not reachable: ${(e as Error).message}` };
    }
    const url = new URL(opts.postgresUrl);
    url.pathname = `/${name}`;
    const db = await openDatabase({ dataDir: '', databaseUrl: url.toString() });
    try {
      out.push({ backend: 'PostgreSQL', ...(await run(db, dataset, opts.reports * 2, opts.concurrency)) });
    } finally {
      await db.close();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    }
  }
  return { results: out };
}
