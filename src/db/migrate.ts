/**
 * Applying pending migrations on open, with the migration scripts sent whole (see wholeScripts).
 */
import { DriverAdapterError, type SqlDriverAdapter, type SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import type { PrismaClient } from './generated/client.ts';
import { storageFaultOf } from './errors.ts';
import { applyMigrations, loadMigrationsList } from './migrations.ts';
import { firstLine } from './storage-error.ts';

/**
 * Applies pending migrations, skipping the (slow to load) schema engine when none are pending.
 * `retryUnfinished` (the embedded database only, where this process is the only one): a migration
 * recorded as started but never finished left nothing behind (each script runs as one
 * transaction, see wholeScripts), typically because the disk filled up; it is marked rolled back,
 * as `prisma migrate resolve --rolled-back` would, so that it is applied again instead of every
 * later start being refused. Migrations that failed for another reason are left for the operator.
 */
export async function migrate(
  prisma: PrismaClient,
  factory: SqlMigrationAwareDriverAdapterFactory,
  retryUnfinished = false,
): Promise<string[]> {
  const local = (await loadMigrationsList()).migrationDirectories.map((d) => d.path);
  try {
    const rows = await prisma.$queryRawUnsafe<{ migration_name: string }[]>(
      'SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
    );
    const done = new Set(rows.map((r) => r.migration_name));
    if (local.every((n) => done.has(n))) return [];
    if (retryUnfinished)
      await prisma.$executeRawUnsafe(
        `UPDATE _prisma_migrations SET rolled_back_at = now() WHERE finished_at IS NULL AND rolled_back_at IS NULL AND (logs IS NULL OR logs ~* $1)`,
        STORAGE_FAILURE_TEXT,
      );
  } catch {
    /* no _prisma_migrations yet: a new database */
  }
  return applyMigrations(factory);
}

/** How a migration failure caused by storage reads in `_prisma_migrations.logs`. */
const STORAGE_FAILURE_TEXT = '53100|No space left on device|could not extend file|Read-only file system|disk full';

/**
 * @prisma/adapter-pg runs a migration script by splitting it on ";", which breaks any statement
 * with a ";" inside (a PL/pgSQL function body) and is not atomic; pglite-prisma-adapter (0.7.2)
 * does not wait for the script, so a failed one (a full disk) is recorded as applied and its
 * tables never appear. We send the whole script as one simple query instead and wait for it:
 * PostgreSQL parses it properly and runs it as one implicit transaction.
 */
export function wholeScripts(
  factory: SqlMigrationAwareDriverAdapterFactory,
  run: (script: string) => Promise<unknown>,
): SqlMigrationAwareDriverAdapterFactory {
  const patch = (adapter: SqlDriverAdapter): SqlDriverAdapter => {
    adapter.executeScript = async (script: string) => {
      try {
        await run(script);
      } catch (err) {
        throw asDriverError(err);
      }
    };
    return adapter;
  };
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => patch(await factory.connect()),
    connectToShadowDb: async () => factory.connectToShadowDb(),
  };
}

/**
 * The schema engine shows (and records in `_prisma_migrations.logs`) only "external connector
 * error" for anything but a DriverAdapterError: give it PostgreSQL's code and message.
 */
function asDriverError(err: unknown): unknown {
  const e = err as { code?: unknown; severity?: unknown; message?: unknown; detail?: unknown; column?: unknown; hint?: unknown } | null;
  const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
  if (typeof e?.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code) && typeof e.message === 'string')
    return new DriverAdapterError({
      kind: 'postgres',
      code: e.code,
      severity: text(e.severity) ?? 'ERROR',
      message: e.message,
      detail: text(e.detail),
      column: text(e.column),
      hint: text(e.hint),
    });
  if (storageFaultOf(err))
    return new DriverAdapterError({
      kind: 'postgres',
      code: '53100',
      severity: 'ERROR',
      message: firstLine(err),
      detail: undefined,
      column: undefined,
      hint: undefined,
    });
  return err;
}
