export { CHAINCODE_NAME, CHANNEL_ID } from './topology.js';
export { NetworkError } from './errors.js';
export {
  readConnectionDescription,
  findMember,
  clientIdOf,
  type ConnectionDescription,
  type MemberCredentials,
} from './connection.js';
export { connectAs, gatewayErrorText, type MemberSession } from './gateway.js';
export { up, down, status, isUp } from './network.js';
export { ensureBinaries } from './binaries.js';
export { addFactory } from './addFactory.js';
