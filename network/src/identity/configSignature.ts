import { createPrivateKey, randomBytes, sign } from 'node:crypto';
import { common, msp } from '@hyperledger/fabric-protos';

/** The order of P-256, whose half bounds the `s` Fabric accepts in an ECDSA signature. */
const P256_ORDER = BigInt('0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551');

/**
 * Signs a channel configuration update with one admin's own key, as `peer channel signconfigtx`
 * does, and returns Fabric's `common.ConfigSignature`: a signature header naming the signer (MSP
 * id and certificate, a fresh nonce) and an ECDSA signature over header and update. Runs on the
 * signer's own node; only the result travels.
 */
export function signConfigUpdate(
  signer: { mspId: string; certificatePem: string; privateKeyPem: string },
  configUpdate: Uint8Array,
): Uint8Array {
  const creator = new msp.SerializedIdentity();
  creator.setMspid(signer.mspId);
  creator.setIdBytes(Buffer.from(signer.certificatePem, 'utf8'));
  const header = new common.SignatureHeader();
  header.setCreator(creator.serializeBinary());
  header.setNonce(randomBytes(24));
  const headerBytes = header.serializeBinary();
  const der = sign(
    'sha256',
    Buffer.concat([headerBytes, configUpdate]),
    createPrivateKey(signer.privateKeyPem),
  );
  const signature = new common.ConfigSignature();
  signature.setSignatureHeader(headerBytes);
  signature.setSignature(lowS(der));
  return signature.serializeBinary();
}

/** Fabric refuses ECDSA signatures with a high `s` (malleability); this one has the low twin. */
function lowS(der: Buffer): Buffer {
  const rLength = der[3] ?? 0;
  const r = der.subarray(4, 4 + rLength);
  const sLength = der[5 + rLength] ?? 0;
  let s = BigInt(`0x${der.subarray(6 + rLength, 6 + rLength + sLength).toString('hex')}`);
  if (s <= P256_ORDER / 2n) return der;
  s = P256_ORDER - s;
  return encodeSignature(r, s);
}

function encodeSignature(r: Buffer, s: bigint): Buffer {
  const integer = (bytes: Buffer): Buffer => {
    let body = bytes;
    while (body.length > 1 && body[0] === 0 && ((body[1] ?? 0) & 0x80) === 0) body = body.subarray(1);
    if (((body[0] ?? 0) & 0x80) !== 0) body = Buffer.concat([Buffer.from([0]), body]);
    return Buffer.concat([Buffer.from([0x02, body.length]), body]);
  };
  const sHex = s.toString(16);
  const sBytes = Buffer.from(sHex.length % 2 === 1 ? `0${sHex}` : sHex, 'hex');
  const content = Buffer.concat([integer(r), integer(sBytes)]);
  return Buffer.concat([Buffer.from([0x30, content.length]), content]);
}
