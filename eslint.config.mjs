// @ts-check
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX, { createNodeResolver } from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import sonarjs from 'eslint-plugin-sonarjs';

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      'network/.bin/**',
      'network/.runtime/**',
      'eslint.config.mjs',
    ],
  },
  eslint.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  ...tseslint.configs.stylisticTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['vitest.config.ts'], defaultProject: 'tsconfig.base.json' },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      // fabric-contract-api's decorators need classes whose methods do not use `this`.
      '@typescript-eslint/class-methods-use-this': 'off',
    },
  },
  {
    // Each workspace's modules import one another in one direction: no cycle, type imports included.
    files: [
      'chaincode/src/**/*.ts',
      'api/src/**/*.ts',
      'web/src/**/*.{ts,tsx}',
      'network/src/**/*.ts',
      'matcher/src/**/*.ts',
    ],
    plugins: { 'import-x': importX, sonarjs },
    settings: {
      'import-x/extensions': ['.ts', '.tsx', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
      'import-x/resolver-next': [
        createTypeScriptImportResolver({ project: ['*/tsconfig.json'], noWarnOnMultipleProjects: true }),
        createNodeResolver(),
      ],
    },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'sonarjs/cognitive-complexity': ['error', 25],
    },
  },
  {
    // SQL lives in the repositories (one module per aggregate or table, api/src/repositories) and
    // the database's own setup (api/src/db); resolvers and services call repository functions.
    // Ledger writes go through the one typed command client (api/src/ledger/commands.ts).
    files: ['api/src/**/*.ts'],
    ignores: [
      'api/src/repositories/**',
      'api/src/db/**',
      'api/src/ledger/commands.ts',
      'api/src/**/*.test.ts',
    ],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.property.name='query']",
          message: 'SQL belongs in api/src/repositories: call a repository function.',
        },
        {
          selector: "CallExpression[callee.property.name='connect'][callee.object.name=/pool$/i]",
          message: 'Transactions belong in api/src/repositories: call a repository function.',
        },
        {
          selector: "CallExpression[callee.property.name='submit']",
          message: 'Ledger writes go through LedgerCommands (api/src/ledger/commands.ts).',
        },
      ],
    },
  },
  {
    // The schema builder defines no types: each GraphQL type lives with its feature's module.
    files: ['api/src/graphql/builder.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector:
            'CallExpression[callee.property.name=/^(objectRef|objectType|inputRef|inputType|enumType|interfaceRef|queryType|mutationType|subscriptionType|queryFields|mutationFields|subscriptionFields|objectFields)$/]',
          message: 'The builder defines no types: add them in the module of their feature.',
        },
      ],
    },
  },
  {
    // Known debt: each of these holds one function above the limit (the matcher's exact model and
    // dispatch, its what-if, the read model's snapshot, the demo simulator's tick). Split it, then
    // take its file off this list; the list only shrinks.
    files: [
      'matcher/src/exact.ts',
      'matcher/src/allocate.ts',
      'matcher/src/whatIf.ts',
      'api/src/matching/snapshot.ts',
      'api/src/demo/simulator.ts',
    ],
    rules: { 'sonarjs/cognitive-complexity': ['error', 135] },
  },
);
