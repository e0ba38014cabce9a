// One place for what the schema takes from the other workspaces.
export {
  bidParser,
  ChaincodeError,
  memberIdOf,
  processParametersParser,
  sealedBidParser,
} from '@fabpool/chaincode/model';
export {
  decodeUtf8,
  encodeUtf8,
  type Committed,
  type Ledger,
  type LedgerMember,
  type SubmitOptions,
} from '@fabpool/network';
