import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import vue from 'eslint-plugin-vue';
import globals from 'globals';

// Rules are errors or off, never warnings.
export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/unpackage/**',
      '.data/**',
      'coverage/**',
      'template-miniapp/src/uni_modules/**',
    ],
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
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-console': 'error',
      eqeqeq: ['error', 'smart'],
      'vue/multi-word-component-names': 'off',
    },
  },
  {
    files: ['tenant-console/src/**', 'template-miniapp/src/**'],
    languageOptions: {
      globals: { ...globals.browser, uni: 'readonly', wx: 'readonly', getCurrentPages: 'readonly', getApp: 'readonly' },
    },
  },
  {
    // One rule for both front ends' composables: a kebab-case use-x.ts file exporting useX.
    files: ['tenant-console/src/**/use[A-Z]*.ts', 'template-miniapp/src/**/use[A-Z]*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: 'Program', message: 'Name a composable file in kebab-case: use-x.ts, exporting useX.' },
      ],
    },
  },
  {
    // Every module has its repository, the only code with SQL on its tables (see docs/architecture.md): outside
    // it no code sees knex, a tenant scope or the database; services receive repositories and open transactions
    // through the context (`Transactions`).
    files: ['platform/src/modules/**/*.ts'],
    ignores: ['platform/src/modules/**/*.repository.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'knex', message: 'Only repositories touch tables.' }],
          patterns: [
            {
              group: ['**/kernel/db/tenant-scope', '**/kernel/db/platform-db', '**/kernel/db/knex'],
              message: 'Only repositories touch tables.',
            },
            {
              group: ['**/kernel/db/database'],
              importNames: ['Database'],
              message: 'Services open transactions through Transactions; only repositories use Database.',
            },
          ],
        },
      ],
    },
  },
  {
    // The shop ships no zod: its values come from the contracts' constants (zod tests whether eval is allowed, and the
    // shop's Content-Security-Policy refuses eval); types come from anywhere.
    files: ['template-miniapp/src/**'],
    ignores: ['template-miniapp/src/**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '@shopfleet/contracts',
              message: "Import values from '@shopfleet/contracts/constants' (types may come from the index).",
              allowTypeImports: true,
            },
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
