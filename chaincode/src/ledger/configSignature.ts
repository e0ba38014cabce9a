import { common, msp } from '@hyperledger/fabric-protos';
import { ChaincodeError, ErrorCode } from '../model/errors.js';
import type { ConfigSignatureParts } from '../model/governance.js';

/**
 * Reads a base64 `common.ConfigSignature` against the base64 `common.ConfigUpdate` it signs: the
 * one place the chaincode parses Fabric's protobufs.
 */
export function configSignatureParts(configSignature: string, configUpdate: string): ConfigSignatureParts {
  try {
    const parsed = common.ConfigSignature.deserializeBinary(Buffer.from(configSignature, 'base64'));
    const headerBytes = parsed.getSignatureHeader_asU8();
    const header = common.SignatureHeader.deserializeBinary(headerBytes);
    const creator = msp.SerializedIdentity.deserializeBinary(header.getCreator_asU8());
    return {
      mspId: creator.getMspid(),
      certificatePem: Buffer.from(creator.getIdBytes_asU8()).toString('utf8'),
      signedBytes: Buffer.concat([headerBytes, Buffer.from(configUpdate, 'base64')]),
      signature: Buffer.from(parsed.getSignature_asU8()),
    };
  } catch (error) {
    throw new ChaincodeError(
      ErrorCode.CONFIG_SIGNATURE_INVALID,
      `not a config signature: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

/** The channel a base64 `common.ConfigUpdate` is for, or undefined when it is not one. */
export function channelOfConfigUpdate(configUpdate: string): string | undefined {
  try {
    return common.ConfigUpdate.deserializeBinary(Buffer.from(configUpdate, 'base64')).getChannelId();
  } catch {
    return undefined;
  }
}
