// One place for what the schema takes from the other workspaces.
export {
  ChaincodeError,
  memberIdOf,
  processParametersParser,
  sealedBidParser,
} from '@fabpool/chaincode/model';
export { decodeUtf8, type Ledger } from '@fabpool/network';
