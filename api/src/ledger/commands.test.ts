import { contracts } from '@fabpool/chaincode';
import { ChaincodeError } from '@fabpool/chaincode/model';
import { describe, expect, it } from 'vitest';
import { LEDGER_COMMANDS, LedgerCommands } from './commands.js';
import { reactionTo } from './reactions.js';

/** A ledger that only records what it was asked to sign: enough to see what a command sends. */
function recordingLedger() {
  const sent: { member: string; contract: string; transaction: string; args: string[] }[] = [];
  return {
    sent,
    submit: (member: string, contract: string, transaction: string, args: string[]) => {
      sent.push({ member, contract, transaction, args });
      return Promise.resolve({ transactionId: 'tx', blockNumber: 1, payload: new Uint8Array() });
    },
  };
}

describe('the ledger command client', () => {
  it('names only transactions the chaincode has, each on its contract', () => {
    const byName = new Map(
      contracts.map((Contract) => {
        const instance = new Contract();
        return [instance.getName(), instance as unknown as Record<string, unknown>];
      }),
    );
    for (const [name, command] of Object.entries(LEDGER_COMMANDS)) {
      const contract = byName.get(command.contract);
      expect(contract, `${name}: contract ${command.contract}`).toBeDefined();
      expect(typeof contract?.[command.transaction], `${name}: ${command.transaction}`).toBe('function');
    }
  });

  it('sends a checked request with a new request id, or the one given (a retry is answered, not repeated)', async () => {
    const ledger = recordingLedger();
    const commands = new LedgerCommands(ledger, () => 'test-0000001');
    await commands.send('factory-a-user', 'acceptLot', { lotId: 'RUN-1.1' });
    await commands.send('factory-a-user', 'acceptLot', { requestId: 'chosen-0001', lotId: 'RUN-1.1' });
    expect(
      ledger.sent.map((s) => [s.contract, s.transaction, JSON.parse(s.args[0] ?? '{}') as unknown]),
    ).toEqual([
      ['Assignment', 'AcceptLot', { requestId: 'test-0000001', lotId: 'RUN-1.1' }],
      ['Assignment', 'AcceptLot', { requestId: 'chosen-0001', lotId: 'RUN-1.1' }],
    ]);
  });

  it('refuses, before signing, a request its schema refuses', async () => {
    const ledger = recordingLedger();
    const commands = new LedgerCommands(ledger);
    const wrong = { lotId: 'RUN-1.1', seq: 0, operatorId: 'OP', machineId: 'M' };
    await expect(commands.send('factory-a-user', 'startOperation', wrong)).rejects.toThrow(ChaincodeError);
    // A field the schema does not know is refused too: a typo fails here, not in the chaincode.
    expect(() => commands.requestOf('acceptLot', { lotId: 'RUN-1.1', lotid: 'x' } as never)).toThrow(
      /REQUEST.INVALID_ARGUMENT|additional/,
    );
    expect(ledger.sent).toEqual([]);
  });

  it('sends the member registry its arguments one by one', async () => {
    const ledger = recordingLedger();
    await new LedgerCommands(ledger).register('operator', 'approveMember', 'FactoryAMSP/x');
    expect(ledger.sent).toEqual([
      { member: 'operator', contract: 'Member', transaction: 'ApproveMember', args: ['FactoryAMSP/x'] },
    ]);
  });

  it("declares once what each command's event sets off", () => {
    expect(reactionTo('publishWorkOrder').replan?.trigger).toBe('RUSH_ORDER');
    expect(reactionTo('publishWorkOrders').replan?.trigger).toBe('RUSH_ORDER');
    expect(reactionTo('cancelWorkOrder').replan?.trigger).toBe('CANCELLATION');
    expect(reactionTo('rejectLot').replan).toEqual({ trigger: 'REJECTION', of: 'Lot' });
    expect(reactionTo('reportOperation')).toEqual({ alerts: true });
    expect(reactionTo('acceptLot')).toEqual({});
  });
});
