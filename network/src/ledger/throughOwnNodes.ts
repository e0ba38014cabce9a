import { LedgerError, type Ledger, type LedgerMember, type SubmitOptions } from './ledger.js';

/**
 * A demo's stand-in for people at their own companies' computers: each call for a member goes to
 * the ledger of that member's own organisation's node, which holds that organisation's keys and no
 * other's. Reads of the whole channel (events, height, verification) go through the first node.
 */
export class ThroughOwnNodes implements Ledger {
  readonly engine;

  constructor(private readonly nodes: readonly Ledger[]) {
    const [first] = nodes;
    if (first === undefined) throw new Error('no node to act through');
    this.engine = first.engine;
  }

  private get first(): Ledger {
    const [first] = this.nodes;
    if (first === undefined) throw new Error('no node to act through');
    return first;
  }

  private nodeOf(member: string): Ledger {
    const node = this.nodes.find((n) => n.members().some((m) => m.name === member));
    if (node === undefined) throw new LedgerError('UNAVAILABLE', `no node holds the identity of ${member}`);
    return node;
  }

  members(): LedgerMember[] {
    return this.nodes.flatMap((n) => n.members());
  }

  async submit(
    member: string,
    contract: string,
    transaction: string,
    args: string[],
    options?: SubmitOptions,
  ) {
    return await this.nodeOf(member).submit(member, contract, transaction, args, options);
  }

  async evaluate(member: string, contract: string, transaction: string, args: string[]) {
    return await this.nodeOf(member).evaluate(member, contract, transaction, args);
  }

  async signConfigUpdate(member: string, configUpdate: Uint8Array) {
    return await this.nodeOf(member).signConfigUpdate(member, configUpdate);
  }

  events(options?: Parameters<Ledger['events']>[0]) {
    return this.first.events(options);
  }

  height() {
    return this.first.height();
  }

  verify() {
    return this.first.verify();
  }

  /** The nodes own their ledgers: closing this router closes nothing. */
  close(): Promise<void> {
    return Promise.resolve();
  }
}
