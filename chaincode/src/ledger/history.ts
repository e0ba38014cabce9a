import type { Context } from 'fabric-contract-api';
import type { RecordKind } from '../model/events.js';
import type { RecordSpec } from './records.js';
import { instantOf } from './time.js';

/** One committed write of a key: which transaction, when, and the value it left. */
export interface HistoryEntry {
  kind: RecordKind;
  id: string;
  txId: string;
  at: string;
  isDelete: boolean;
  /** The value as written then; older versions may predate today's schema, so it is not re-validated. */
  record: unknown;
}

/** Every committed version of one record, oldest first (Fabric's history database). */
export async function historyOf<T>(
  ctx: Context,
  spec: RecordSpec<T>,
  parts: string[],
): Promise<HistoryEntry[]> {
  const entries: HistoryEntry[] = [];
  const iterator = await ctx.stub.getHistoryForKey(ctx.stub.createCompositeKey(spec.objectType, parts));
  try {
    for (let result = await iterator.next(); !result.done; result = await iterator.next()) {
      const { txId, timestamp, isDelete, value } = result.value;
      const text = Buffer.from(value).toString('utf8');
      entries.push({
        kind: spec.kind,
        id: parts.join('/'),
        txId,
        at: instantOf(timestamp),
        isDelete,
        record: isDelete || text === '' ? null : (JSON.parse(text) as unknown),
      });
    }
  } finally {
    await iterator.close();
  }
  // Fabric returns newest first; a trace reads forward.
  return entries.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
}
