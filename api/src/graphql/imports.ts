// One place for what the schema takes from the other workspaces.
export { ChaincodeError } from '@fabpool/chaincode/model';
export { decodeUtf8, type Ledger } from '@fabpool/network';
