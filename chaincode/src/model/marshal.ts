import { createHash } from 'node:crypto';

/**
 * Deterministic JSON: keys sorted at every depth, so every endorsing peer writes the same bytes
 * for the same record and endorsements match.
 */
export function marshal(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(sortKeys(value)), 'utf8');
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return Object.fromEntries(entries.map(([k, v]) => [k, sortKeys(v)]));
  }
  return value;
}

/** SHA-256 of a record's deterministic bytes, hex: what Fabric's getPrivateDataHash reports for it. */
export function digestOf(value: unknown): string {
  return createHash('sha256').update(marshal(value)).digest('hex');
}
