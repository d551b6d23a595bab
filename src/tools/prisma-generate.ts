/**
 * `npm ci` runs this (postinstall): generates the Prisma client without any download.
 * `prisma generate` only checks that a schema-engine binary path exists (it never runs it), so
 * we point it at the Node binary; migrations use the WebAssembly engine (src/db/migrations.ts).
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = fileURLToPath(new URL('../../', import.meta.url));
const cli = require.resolve('prisma/build/index.js');
const result = spawnSync(process.execPath, [cli, 'generate', '--schema', 'prisma/schema.prisma'], {
  cwd: root,
  stdio: 'inherit',
  env: {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY: process.execPath,
    CHECKPOINT_DISABLE: '1',
    PRISMA_HIDE_UPDATE_MESSAGE: '1',
    PRISMA_GENERATE_SKIP_AUTOINSTALL: '1',
  },
});
process.exit(result.status ?? 1);
