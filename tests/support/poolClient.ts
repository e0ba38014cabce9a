import { randomUUID } from 'node:crypto';
import { BUCKET_HOURS } from '@fabpool/chaincode/model';
import { decodeUtf8, encodeUtf8, type Committed, type Ledger, type SubmitOptions } from '@fabpool/network';

export const decode = decodeUtf8;
export const unique = (): string => randomUUID().slice(0, 8);
/** A pool request with a fresh idempotency key. */
export const request = (fields: object): string =>
  JSON.stringify({ requestId: `req-${randomUUID()}`, ...fields });
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The shift bucket starting `n` buckets after the current one. */
export function bucketFromNow(n: number): string {
  const size = BUCKET_HOURS * 3_600_000;
  return new Date((Math.floor(Date.now() / size) + n) * size).toISOString().replace('.000Z', 'Z');
}

/** The pool's contracts as named members reach them, through whichever ledger engine. */
export class PoolClient {
  constructor(readonly ledger: Ledger) {}

  async submit(member: string, contract: string, tx: string, body: string): Promise<string> {
    return decode((await this.ledger.submit(member, contract, tx, [body])).payload);
  }

  submitWith(
    member: string,
    contract: string,
    tx: string,
    args: string[],
    options: SubmitOptions,
  ): Promise<Committed> {
    return this.ledger.submit(member, contract, tx, args, options);
  }

  /**
   * A transaction whose private part travels as transient data, endorsed only by the organisation
   * whose private collection it writes (the gateway will not send transient data elsewhere).
   */
  async submitPrivate(
    member: string,
    contract: string,
    tx: string,
    body: string,
    transient: Record<string, unknown>,
    endorsingOrganization: string,
  ): Promise<string> {
    const transientData = Object.fromEntries(
      Object.entries(transient).map(([key, value]) => [key, encodeUtf8(JSON.stringify(value))]),
    );
    const committed = await this.ledger.submit(member, contract, tx, [body], {
      transient: transientData,
      endorsingOrganizations: [endorsingOrganization],
    });
    return decode(committed.payload);
  }

  async evaluate(member: string, contract: string, tx: string, ...args: string[]): Promise<string> {
    return decode(await this.ledger.evaluate(member, contract, tx, args));
  }
}

/** How a test sends one pool request as a member (through a PoolClient or an api's ledger). */
export type SubmitAs = (member: string, contract: string, tx: string, fields: object) => Promise<unknown>;

/** A plant of `member`'s organisation running one process, with `minutes` declared in each shift given. */
export async function openPlant(
  submit: SubmitAs,
  member: string,
  plant: {
    factoryId: string;
    process: string;
    pricePerMinute: number;
    buckets: readonly string[];
    minutes?: number;
  },
): Promise<void> {
  await submit(member, 'Factory', 'RegisterFactory', {
    factoryId: plant.factoryId,
    name: plant.factoryId,
    location: 'Suzhou',
    processes: [{ process: plant.process, pricePerMinute: plant.pricePerMinute }],
  });
  await submit(member, 'Factory', 'DeclareCapacity', {
    factoryId: plant.factoryId,
    entries: plant.buckets.map((bucket) => ({
      process: plant.process,
      bucket,
      minutes: plant.minutes ?? 480,
    })),
  });
}
