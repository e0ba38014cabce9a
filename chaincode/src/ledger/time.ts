import type { Context } from 'fabric-contract-api';

interface ProtoTimestamp {
  seconds: number | { toNumber(): number } | string;
  nanos: number;
}

/** A protobuf timestamp as an ISO instant (millisecond precision). */
export function instantOf(ts: ProtoTimestamp): string {
  const seconds = typeof ts.seconds === 'object' ? ts.seconds.toNumber() : Number(ts.seconds);
  return new Date(seconds * 1000 + Math.floor(ts.nanos / 1_000_000)).toISOString();
}

/** The transaction's own timestamp, the same on every endorsing peer (never the wall clock). */
export function txInstant(ctx: Context): string {
  return instantOf(ctx.stub.getTxTimestamp());
}
