/**
 * Prisma's migration engine, run as WebAssembly (`@prisma/schema-engine-wasm`), so migrations
 * work offline: the Prisma CLI would download a native binary, which these machines cannot.
 *
 * The package's entry imports its `.wasm` as an ES module, which Node 20 only allows behind a
 * flag; we instantiate the module ourselves instead, exactly as that entry does.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { bindMigrationAwareSqlAdapterFactory, type SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';

const require = createRequire(import.meta.url);

// Node has WebAssembly; TypeScript's "ES" libs do not declare it (it lives in lib.dom).
declare const WebAssembly: {
  instantiate(bytes: Uint8Array, imports: Record<string, unknown>): Promise<{ instance: { exports: Record<string, unknown> } }>;
};

type Bg = typeof import('@prisma/schema-engine-wasm/schema_engine_bg');
let bgPromise: Promise<Bg> | undefined;

async function loadEngineModule(): Promise<Bg> {
  bgPromise ??= (async () => {
    const bg: Bg = await import('@prisma/schema-engine-wasm/schema_engine_bg');
    const dir = path.dirname(require.resolve('@prisma/schema-engine-wasm/schema_engine_bg'));
    const bytes = await readFile(path.join(dir, 'schema_engine_bg.wasm'));
    const { instance } = await WebAssembly.instantiate(bytes, { './schema_engine_bg.js': bg });
    (bg as unknown as { __wbg_set_wasm(w: unknown): void }).__wbg_set_wasm(instance.exports);
    (instance.exports as unknown as { __wbindgen_start(): void }).__wbindgen_start();
    return bg;
  })();
  return bgPromise;
}

export type SchemaEngine = Awaited<ReturnType<Bg['SchemaEngine']['new']>>;

/** Opens the WebAssembly schema engine on a driver adapter (PGlite or pg). */
export async function openSchemaEngine(
  factory: SqlMigrationAwareDriverAdapterFactory,
  schema: { path: string; content: string },
): Promise<SchemaEngine> {
  const bg = await loadEngineModule();
  return bg.SchemaEngine.new({ datamodels: [[schema.path, schema.content]] }, () => {}, bindMigrationAwareSqlAdapterFactory(factory));
}
