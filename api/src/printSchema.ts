#!/usr/bin/env node
/** Writes the api's GraphQL schema to api/schema.graphql (committed; a test compares it). */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { printSchema } from 'graphql';
import { buildSchema } from './graphql/schema.js';

export const SCHEMA_FILE = join(fileURLToPath(import.meta.url), '..', '..', 'schema.graphql');

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await writeFile(SCHEMA_FILE, `${printSchema(buildSchema())}\n`);
  process.stdout.write(`wrote ${SCHEMA_FILE}\n`);
}
