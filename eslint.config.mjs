import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import vue from 'eslint-plugin-vue';
import globals from 'globals';

/** Modules whose services reach their tables only through their repository (see docs/architecture.md). */
const REPOSITORY_SHAPED = ['audit', 'cart', 'identity', 'miniapp', 'notifications', 'releases', 'reviews', 'shoppers', 'tenants'];

// Rules are errors or off, never warnings.
export default tseslint.config(
  {
    ignores: ['**/node_modules/**', '**/dist/**', '**/unpackage/**', '.data/**', 'coverage/**', 'template-miniapp/src/uni_modules/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...vue.configs['flat/essential'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.vue'] } },
  },
  {
    languageOptions: { globals: { ...globals.node }, ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-console': 'error',
      eqeqeq: ['error', 'smart'],
      'vue/multi-word-component-names': 'off',
    },
  },
  {
    files: ['tenant-console/src/**', 'template-miniapp/src/**'],
    languageOptions: { globals: { ...globals.browser, uni: 'readonly', wx: 'readonly', getCurrentPages: 'readonly', getApp: 'readonly' } },
  },
  {
    // Module code reaches tables only through its repository and the data layers.
    files: ['platform/src/modules/**/*.ts'],
    ignores: ['platform/src/modules/**/*.repository.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'knex', message: 'Only repositories touch tables.', allowTypeImports: true }] }],
    },
  },
  {
    // Modules in the repository shape (issue 23 moves the rest here, module by module): outside the
    // repository no code sees knex, a tenant scope or the database; services receive repositories and
    // open transactions through the context (`Transactions`).
    files: REPOSITORY_SHAPED.map((m) => `platform/src/modules/${m}/**/*.ts`),
    ignores: ['platform/src/modules/**/*.repository.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'knex', message: 'Only repositories touch tables.' }],
          patterns: [
            { group: ['**/kernel/db/tenant-scope', '**/kernel/db/platform-db', '**/kernel/db/knex'], message: 'Only repositories touch tables.' },
            { group: ['**/kernel/db/database'], importNames: ['Database'], message: 'Services open transactions through Transactions; only repositories use Database.' },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.test.ts', 'platform/test/**', 'workers/test/**', 'bench/**', 'scripts/**'],
    rules: { 'no-console': 'off', '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
