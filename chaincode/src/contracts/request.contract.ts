import { Context, Contract, Info, Returns, Transaction } from 'fabric-contract-api';
import { requestStatus } from '../ledger/poolTransaction.js';

/** What a member's own requests have done: asked before a retry, so a retry adds no block. */
@Info({ title: 'RequestContract', description: "the caller's request receipts" })
export class RequestContract extends Contract {
  constructor() {
    super('Request');
  }

  /**
   * Whether the caller already committed this request (by its requestId): `NEW`, or `COMMITTED`
   * with the first transaction's id and answer. REQUEST.ID_REUSED when the id was used for a
   * different request.
   */
  @Transaction(false)
  @Returns('string')
  async GetStatus(ctx: Context, requestJson: string): Promise<string> {
    return JSON.stringify(await requestStatus(ctx, requestJson));
  }
}
