import { X509Certificate, verify } from 'node:crypto';
import { common, msp } from '@hyperledger/fabric-protos';
import { describe, expect, it } from 'vitest';
import { issueOrg } from '../ledger/embedded/identities.js';
import { signConfigUpdate } from './configSignature.js';

const HALF_ORDER = BigInt('0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551') / 2n;

describe(signConfigUpdate.name, () => {
  it('names its signer and signs header and update with a low s, every time', async () => {
    const { issued } = await issueOrg('factory-a.example', [{ cn: 'admin', ou: 'admin' }]);
    const admin = issued[0];
    if (admin === undefined) throw new Error('no admin issued');
    const update = new common.ConfigUpdate();
    update.setChannelId('alliance');
    const updateBytes = update.serializeBinary();
    // Half of all ECDSA signatures come out with a high s: enough rounds to meet several.
    for (let round = 0; round < 24; round++) {
      const parsed = common.ConfigSignature.deserializeBinary(
        signConfigUpdate(
          { mspId: 'FactoryAMSP', certificatePem: admin.certPem, privateKeyPem: admin.keyPem },
          updateBytes,
        ),
      );
      const header = common.SignatureHeader.deserializeBinary(parsed.getSignatureHeader_asU8());
      const creator = msp.SerializedIdentity.deserializeBinary(header.getCreator_asU8());
      expect(creator.getMspid()).toBe('FactoryAMSP');
      expect(Buffer.from(creator.getIdBytes_asU8()).toString('utf8')).toBe(admin.certPem);
      const signature = Buffer.from(parsed.getSignature_asU8());
      const signed = Buffer.concat([parsed.getSignatureHeader_asU8(), updateBytes]);
      expect(verify('sha256', signed, new X509Certificate(admin.certPem).publicKey, signature)).toBe(true);
      const rLength = signature[3] ?? 0;
      const sLength = signature[5 + rLength] ?? 0;
      const s = BigInt(`0x${signature.subarray(6 + rLength, 6 + rLength + sLength).toString('hex')}`);
      expect(s <= HALF_ORDER).toBe(true);
    }
  });
});
