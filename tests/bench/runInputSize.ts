/**
 * How large a matcher run's complete input is, as the ledger keeps it (canonical JSON, gzip,
 * base64; see RecordRunInput), for the 10,000 work orders × 200 factories × 21 shifts benchmark
 * instance with a plan of that size already on the ledger as movable lots (the input of a
 * re-plan), and how long encoding it and replaying its plan take. Usage: npm run bench:run-input
 */
import { encodeRunInput } from '@fabpool/api';
import { BIG, generateInstance, solve } from '@fabpool/matcher';

async function main(): Promise<void> {
  const input = generateInstance({ ...BIG, seed: 42 });
  const earlier = await solve(input, 'engine');
  const movable = earlier.lots
    .filter((l) => l.quantity > 0)
    .map((lot, i) => ({
      lotId: `RUN-202612040800-abcdef.${String(i + 1)}`,
      lot: {
        workOrderId: lot.workOrderId,
        seq: lot.seq,
        factoryId: lot.factoryId,
        bucket: lot.bucket,
        quantity: lot.quantity,
        ...(lot.quotaId === undefined ? {} : { quotaId: lot.quotaId }),
      },
      expired: false,
    }));
  const started = performance.now();
  const encoded = encodeRunInput({
    format: 'fabpool.run-input/1',
    nowMs: Date.parse('2026-12-04T08:00:00Z'),
    input,
    movable,
  });
  const encodeMs = performance.now() - started;
  const mb = (n: number) => `${(n / 1_048_576).toFixed(2)} MB`;
  console.log(
    `Run input, ${String(input.workOrders.length)} work orders × ${String(input.factories.length)} factories × ${String(input.buckets)} shifts, ${String(movable.length)} movable lots:`,
  );
  console.log(
    `  canonical JSON ${mb(encoded.bytes.length)}; stored on the ledger (gzip, base64) ${mb(encoded.content.length)}; encoded in ${encodeMs.toFixed(0)} ms`,
  );
  console.log(
    `  limits: a record's content is refused above 8 MB of base64 (MAX_RUN_INPUT_CONTENT); the channel's blocks take 10 MB (AbsoluteMaxBytes)`,
  );
}

void main();
