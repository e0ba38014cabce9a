import { createRequire } from 'node:module';
import type { EmbeddedStub } from './stub.js';

/**
 * Everything the embedded engine takes from fabric-shim's and fabric-contract-api's insides, in
 * one place: the dispatch class a chaincode server runs (`ChaincodeFromContract`, not exported by
 * the packages' entry points), their loggers, and the shim's X.509 module. These are internal
 * files, so the adapter runs only with the versions it was written and tested against.
 */
const require = createRequire(import.meta.url);

/** The fabric-shim and fabric-contract-api versions whose insides this adapter knows (pinned in chaincode/package.json). */
export const SUPPORTED_SHIM_VERSIONS = ['2.5.8'] as const;

/** Refuses, loudly, a fabric-shim or fabric-contract-api this adapter was not written for. */
export function checkShimVersions(versions: { shim: string; contractApi: string }): void {
  for (const [name, version] of [
    ['fabric-shim', versions.shim],
    ['fabric-contract-api', versions.contractApi],
  ] as const)
    if (!(SUPPORTED_SHIM_VERSIONS as readonly string[]).includes(version))
      throw new Error(
        `the embedded ledger drives ${name}'s internal files (lib/contract-spi/chaincodefromcontract.js, ` +
          `its loggers, its X.509 module) and knows ${SUPPORTED_SHIM_VERSIONS.join(', ')}, not ${version}: ` +
          'check network/src/ledger/embedded/shimAdapter.ts against the new version, then add it to SUPPORTED_SHIM_VERSIONS',
      );
}

/** The versions installed beside the chaincode. */
export function installedShimVersions(): { shim: string; contractApi: string } {
  const version = (name: string) => (require(`${name}/package.json`) as { version: string }).version;
  return { shim: version('fabric-shim'), contractApi: version('fabric-contract-api') };
}

export interface ChaincodeResponse {
  status: number;
  message?: string;
  payload?: Uint8Array;
}
export interface Chaincode {
  Invoke(stub: EmbeddedStub): Promise<ChaincodeResponse>;
}
export type KeyEndorsementPolicyClass = new (policy?: Uint8Array) => { listOrgs(): string[] };

/** fabric-contract-api's own dispatch (the class a chaincode server runs), over the real contracts. */
export function loadChaincode(): { chaincode: Chaincode; KeyEndorsementPolicy: KeyEndorsementPolicyClass } {
  checkShimVersions(installedShimVersions());
  // fabric-contract-api logs every decorator at info level when the contracts load; in-process
  // that is noise in the host's output. Its level comes from the peer's variable.
  process.env.CORE_CHAINCODE_LOGGING_LEVEL ??= 'WARNING';
  const { contracts } = require('@fabpool/chaincode') as { contracts: unknown[] };
  const shim = require('fabric-shim') as { KeyEndorsementPolicy: KeyEndorsementPolicyClass };
  // A refused transaction is an answer, not a fault, and per-call debug lines cost time: silence
  // the loggers the dispatch path uses (winston formats a line before its level filter drops it).
  const shimLogger = require('fabric-shim/lib/logger.js') as { getLogger(name: string): { silent: boolean } };
  const apiLogger = require('fabric-contract-api/lib/logger.js') as {
    getLogger(name: string): { silent: boolean };
  };
  for (const name of [
    'contracts-spi/chaincodefromcontract.js',
    'contracts-spi/datamarshall.js',
    'lib/chaincode.js',
  ])
    shimLogger.getLogger(name).silent = true;
  for (const name of ['./lib/contract.js', './lib/jsontransactionserializer.js'])
    apiLogger.getLogger(name).silent = true;
  const ChaincodeFromContract = require('fabric-shim/lib/contract-spi/chaincodefromcontract.js') as new (
    contracts: unknown[],
    serializers: unknown,
    metadata: unknown,
    title: string,
    version: string,
  ) => Chaincode;
  const { JSONSerializer } = require('fabric-contract-api') as { JSONSerializer: unknown };
  memoizeCertificateParsing();
  const serializers = { transaction: 'jsonSerializer', serializers: { jsonSerializer: JSONSerializer } };
  return {
    chaincode: new ChaincodeFromContract([...contracts], serializers, {}, 'fabpool', '0.1.0'),
    KeyEndorsementPolicy: shim.KeyEndorsementPolicy,
  };
}

/**
 * fabric-shim's ClientIdentity parses the creator's certificate on every transaction; a peer runs
 * that once per transaction too, but here it was a third of the embedded ledger's time. The same
 * PEM always parses to the same certificate, so parse each one once (the shim's own X.509 module).
 */
function memoizeCertificateParsing(): void {
  const x509 = require(require.resolve('@fidm/x509', { paths: [require.resolve('fabric-shim')] })) as {
    Certificate: { fromPEM(pem: Buffer): unknown; memoized?: boolean };
  };
  const { Certificate } = x509;
  if (Certificate.memoized === true) return;
  const parse = Certificate.fromPEM.bind(Certificate);
  const parsed = new Map<string, unknown>();
  Certificate.fromPEM = (pem: Buffer) => {
    const key = pem.toString();
    let cert = parsed.get(key);
    if (cert === undefined) {
      cert = parse(pem);
      parsed.set(key, cert);
    }
    return cert;
  };
  Certificate.memoized = true;
}
