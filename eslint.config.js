// ESLint (flat config): typescript-eslint's recommended rules, promises that must be awaited or
// handled (type-aware), no import cycles, and the hexagon's wall: src/core imports no adapter,
// storage, media or platform library (STYLE.md, "Where things live"; ARCHITECTURE.md).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';

/** What src/core may not import: the code and libraries that plug into it from outside. */
const CORE_FORBIDDEN = {
  patterns: [
    {
      group: ['**/adapters/**', '**/adapters', '**/db/**', '**/db', '**/media/**', '**/media'],
      message: 'src/core defines ports; src/adapters, src/db and src/media implement them (src/app.ts wires them in).',
    },
    {
      group: ['grammy', 'grammy/*', '@grammyjs/*', 'discord.js', '@discordjs/*'],
      message: 'Platform libraries belong under src/adapters/.',
    },
    {
      group: ['@prisma/*', 'prisma', 'pg', 'pg/*', '@electric-sql/*', 'pglite-prisma-adapter'],
      message: 'Storage belongs under src/db/, behind a port.',
    },
    { group: ['sharp'], message: 'Image processing belongs under src/media/, behind the ImageCleaner port.' },
  ],
};
const FS = {
  paths: ['node:fs', 'node:fs/promises', 'fs', 'fs/promises'].map((name) => ({
    name,
    message: 'Files are read outside core and handed in (ports, config); see eslint.config.js for the two exceptions.',
  })),
};

export default tseslint.config(
  { ignores: ['node_modules/', 'src/db/generated/', 'data/', 'coverage/', 'bench-results/', 'dist/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { 'import-x': importX },
    settings: {
      // no-cycle follows imports into .ts files only when told to parse them.
      'import-x/extensions': ['.ts', '.js', '.mjs'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js', '.mjs', '.json'] })],
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
    },
  },
  {
    files: ['src/core/**'],
    rules: { 'no-restricted-imports': ['error', { ...CORE_FORBIDDEN, ...FS }] },
  },
  {
    // Read-only files that ship with the code, not user data: the world atlas (node_modules) and
    // the dataset's source texts checked by `npm run dataset:verify` and at start-up.
    files: ['src/core/map/map.atlas.ts', 'src/core/dataset/verify.ts'],
    rules: { 'no-restricted-imports': ['error', CORE_FORBIDDEN] },
  },
  {
    // Tests keep every promise rule (a floating promise there is a test that cannot fail). They
    // walk conversations as `r = await say(…)` at every step, used or not, so each step reads
    // alike; the platform fakes handle untyped JSON payloads.
    files: ['test/**'],
    rules: {
      'no-useless-assignment': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      globals: { process: 'readonly', console: 'readonly', URL: 'readonly' },
    },
  },
);
