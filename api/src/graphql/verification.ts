import { coded } from './context.js';
import type { ApiBuilder } from './builder.js';

/** Re-verifying the ledger's chain (auditors and operators). */
export function addVerificationFields(builder: ApiBuilder): void {
  const VerifyType = builder
    .objectRef<{
      ok: boolean;
      height: number;
      firstBroken?: { blockNumber: number; reason: string };
      checkedFrom?: number;
      signaturesChecked?: number;
    }>('LedgerVerification')
    .implement({
      fields: (t) => ({
        ok: t.exposeBoolean('ok'),
        height: t.exposeInt('height'),
        brokenBlock: t.int({ nullable: true, resolve: (v) => v.firstBroken?.blockNumber ?? null }),
        reason: t.string({ nullable: true, resolve: (v) => v.firstBroken?.reason ?? null }),
        checkedFrom: t.int({
          description:
            'The first block this check read: 0, or where the last check that held stopped (nothing before it is read again).',
          resolve: (v) => v.checkedFrom ?? 0,
        }),
        signaturesChecked: t.int({
          description:
            "Signatures this check verified: orderers', creators', endorsers' (0 where the engine's blocks carry none).",
          resolve: (v) => v.signaturesChecked ?? 0,
        }),
      }),
    });

  builder.queryFields((t) => ({
    verifyLedger: t.field({
      type: VerifyType,
      authScopes: { role: ['auditor', 'operator'] },
      resolve: async (_r, _a, context) => {
        if (context.verifyLedger === undefined)
          throw coded('LEDGER.VERIFY_UNSUPPORTED', 'this ledger engine has no chain to re-verify here');
        return context.verifyLedger();
      },
    }),
  }));
}
