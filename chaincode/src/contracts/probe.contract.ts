import { Context, Contract, Info, Returns, Transaction } from 'fabric-contract-api';
import { ChaincodeError, ErrorCode } from '../model/errors.js';

const PROBE = 'probe';

/**
 * The network's own ceiling: one read and one write of a key, no rules. Benchmarks compare the
 * pool's transactions against it. Its keys live under their own prefix and the pool never reads them.
 */
@Info({ title: 'ProbeContract', description: 'a trivial read-and-write transaction for benchmarks' })
export class ProbeContract extends Contract {
  constructor() {
    super('Probe');
  }

  @Transaction()
  @Returns('string')
  async PutGet(ctx: Context, key: string, value: string): Promise<string> {
    if (!/^[A-Za-z0-9._-]{1,64}$/.test(key) || value.length > 1024)
      throw new ChaincodeError(
        ErrorCode.INVALID_ARGUMENT,
        'a probe key is 1-64 of [A-Za-z0-9._-], its value at most 1 KiB',
      );
    const stateKey = ctx.stub.createCompositeKey(PROBE, [key]);
    const previous = Buffer.from(await ctx.stub.getState(stateKey)).toString('utf8');
    await ctx.stub.putState(stateKey, Buffer.from(value, 'utf8'));
    return previous;
  }

  /** The value a probe key holds ('' when none): how a fault test finds its acknowledged writes. */
  @Transaction(false)
  @Returns('string')
  async Get(ctx: Context, key: string): Promise<string> {
    return Buffer.from(await ctx.stub.getState(ctx.stub.createCompositeKey(PROBE, [key]))).toString('utf8');
  }
}
