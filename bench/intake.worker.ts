/**
 * One bot process of the intake benchmark (spawned by intake.bench.ts): opens the database it is
 * given, waits for "go" on stdin, files its share of complete report conversations through the
 * Lantern facade, and prints one JSON line with its step latencies and peak RSS.
 */
import { createInterface } from 'node:readline';
import { allCommands } from '../commands/index.ts';
import { buildDeps } from '../src/app.ts';
import { parseKeyring, pseudonym } from '../src/core/crypto/crypto.ts';
import type { CoreContext, Logger } from '../src/core/context.ts';
import { DatasetView } from '../src/core/dataset/dataset.view.ts';
import { Lantern } from '../src/core/lantern.ts';
import { openDatabase } from '../src/db/client.ts';
import { bundledDatasetPath, readDatasetFile } from '../src/db/dataset-store.ts';
import { fileReport } from '../test/support/intake-driver.ts';
// as the Telegram adapter declares them: the receipt's buttons and mailbox session included
import { TELEGRAM_CAPABILITIES } from '../src/adapters/telegram/capabilities.ts';

const env = (k: string) => {
  const v = process.env[k];
  if (v === undefined) throw new Error(`${k} is required`);
  return v;
};
const reports = Number(env('BENCH_REPORTS'));
const concurrency = Number(env('BENCH_CONCURRENCY'));
const worker = env('BENCH_WORKER');
const silent: Logger = { debug() {}, info() {}, warn() {}, error() {} };

const db = await openDatabase({ dataDir: process.env.BENCH_DATA_DIR ?? '', databaseUrl: process.env.BENCH_DATABASE_URL });
const view = new DatasetView(await readDatasetFile(bundledDatasetPath));
const keyring = parseKeyring(env('BENCH_KEYS'), env('BENCH_HASH_KEY'));
const deps = buildDeps(
  db,
  keyring,
  { reports: { ratePerHour: 1000, retentionDays: 30, draftTtlMinutes: 60, evidenceMaxBytes: 5_000_000 } },
  silent,
  () => view,
);
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
let peakRss = process.memoryUsage().rss;
const rssTimer = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);

/** Files `count` reports, `concurrency` people at once. */
async function file(label: string, count: number, lantern: Lantern) {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        const ctx: CoreContext = {
          actor: { platform: 'telegram', id: pseudonym(keyring, 'telegram', `bench-${worker}-${label}-${i}`), locale: 'en', triage: false },
          chat: 'private',
          deps,
          route: `r${i}`,
          capabilities: TELEGRAM_CAPABILITIES,
        };
        await fileReport(lantern, ctx, {
          category: 'surveillance',
          when: '2025-06',
          where: 'Prato',
          what: `Benchmark report number ${i}: someone followed me home from work.`,
          contact: 'none',
        });
      }
    }),
  );
}

await file('warm-up', Math.min(100, Math.ceil(reports / 10)), lantern); // JIT and caches, not counted
process.stdout.write('ready\n');
const input = createInterface({ input: process.stdin });
await new Promise<void>((resolve) => input.once('line', () => resolve()));
input.close();
const started = performance.now();
const cpu0 = process.cpuUsage();
await file('run', reports, timed);
const cpu = process.cpuUsage(cpu0);
const seconds = (performance.now() - started) / 1000;
clearInterval(rssTimer);
const cpuMs = (cpu.user + cpu.system) / 1000;
process.stdout.write(
  JSON.stringify({
    worker,
    reports,
    seconds,
    cpuMs,
    steps: steps.map((s) => Math.round(s * 1000) / 1000),
    peakRssMB: Math.round(peakRss / 1e6),
  }) + '\n',
);
// Connected until told: the parent reads the database server's CPU time before its sessions end.
await new Promise<void>((resolve) => process.stdin.once('end', () => resolve()).resume());
await db.close();
