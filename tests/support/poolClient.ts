import { randomUUID } from 'node:crypto';
import { BUCKET_HOURS } from '@fabpool/chaincode/model';
import {
  connectAs,
  readConnectionDescription,
  type ConnectionDescription,
  type MemberSession,
} from '@fabpool/network';

export const decode = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);
export const unique = (): string => randomUUID().slice(0, 8);
/** A pool request with a fresh idempotency key. */
export const request = (fields: object): string =>
  JSON.stringify({ requestId: `req-${randomUUID()}`, ...fields });

/** The shift bucket starting `n` buckets after the current one. */
export function bucketFromNow(n: number): string {
  const size = BUCKET_HOURS * 3_600_000;
  return new Date((Math.floor(Date.now() / size) + n) * size).toISOString().replace('.000Z', 'Z');
}

/** The pool's contracts as the network's named members reach them, one gateway session per member. */
export class PoolClient {
  private readonly sessions = new Map<string, MemberSession>();

  private constructor(readonly description: ConnectionDescription) {}

  static async open(): Promise<PoolClient> {
    return new PoolClient(await readConnectionDescription());
  }

  async session(member: string): Promise<MemberSession> {
    let session = this.sessions.get(member);
    if (session === undefined) {
      session = await connectAs(this.description, member);
      this.sessions.set(member, session);
    }
    return session;
  }

  async contract(member: string, name: string) {
    const { gateway } = await this.session(member);
    return gateway.getNetwork(this.description.channel).getContract(this.description.chaincode, name);
  }

  async submit(member: string, name: string, tx: string, body: string): Promise<string> {
    return decode(await (await this.contract(member, name)).submitTransaction(tx, body));
  }

  /**
   * A transaction whose private part travels as transient data, endorsed only by the organisation
   * whose private collection it writes (the gateway will not send transient data elsewhere).
   */
  async submitPrivate(
    member: string,
    name: string,
    tx: string,
    body: string,
    transient: Record<string, unknown>,
    endorsingOrganization: string,
  ): Promise<string> {
    const transientData = Object.fromEntries(
      Object.entries(transient).map(([key, value]) => [key, new TextEncoder().encode(JSON.stringify(value))]),
    );
    const contract = await this.contract(member, name);
    return decode(
      await contract.submit(tx, {
        arguments: [body],
        transientData,
        endorsingOrganizations: [endorsingOrganization],
      }),
    );
  }

  async evaluate(member: string, name: string, tx: string, ...args: string[]): Promise<string> {
    return decode(await (await this.contract(member, name)).evaluateTransaction(tx, ...args));
  }

  close(): void {
    for (const session of this.sessions.values()) session.close();
    this.sessions.clear();
  }
}
