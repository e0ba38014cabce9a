import type { Context } from 'fabric-contract-api';

/** The transaction's own timestamp, the same on every endorsing peer (never the wall clock). */
export function txInstant(ctx: Context): string {
  const ts = ctx.stub.getTxTimestamp();
  const millis = Number(ts.seconds) * 1000 + Math.floor(ts.nanos / 1_000_000);
  return new Date(millis).toISOString();
}
