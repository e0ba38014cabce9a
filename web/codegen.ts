import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * Typed documents for the web, from the api's committed schema: each `graphql(…)` in the pages
 * gets the exact type of its answer and variables, and a document the schema does not answer
 * fails the build.
 */
const config: CodegenConfig = {
  schema: '../api/schema.graphql',
  documents: ['src/**/*.{ts,tsx}', '!src/gql/**', '!src/**/*.test.ts'],
  ignoreNoDocuments: false,
  generates: {
    'src/gql/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        strictScalars: true,
        scalars: { JSON: 'unknown', SafeInt: 'number' },
      },
    },
  },
};
export default config;
