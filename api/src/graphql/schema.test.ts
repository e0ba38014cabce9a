import { readFile } from 'node:fs/promises';
import { printSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { SCHEMA_FILE } from '../printSchema.js';
import { buildSchema } from './schema.js';

describe('the GraphQL schema', () => {
  it('is the one committed in api/schema.graphql (run npm run api:schema after changing it)', async () => {
    expect(`${printSchema(buildSchema())}\n`).toBe(await readFile(SCHEMA_FILE, 'utf8'));
  });
});
