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
export {
  up,
  down,
  status,
  isUp,
  stopPeer,
  startPeerAgain,
  crashChaincodeServer,
  startChaincodeServerAgain,
  crashPeer,
  crashOrderer,
  startOrdererAgain,
  ordererNames,
  checkRuntimeLayout,
  organisationNodeDirs,
} from './network.js';
export { ensureBinaries, ensureCaBinaries } from './binaries.js';
export {
  OrganisationCa,
  ROLE_ATTRIBUTE,
  type EnrolledIdentity,
  type IdentityKind,
  type OrganisationCaOptions,
} from './identity/organisationCa.js';
export { signMembershipCard, writeMspDirectory } from './identity/membershipCard.js';
export { isAdminIdentity } from './memberRegistration.js';
export { organisationGroupFromCard } from './identity/organisationGroup.js';
export { signConfigUpdate } from './identity/configSignature.js';
export { issueOrg as issueOrganisationIdentities } from './ledger/embedded/identities.js';
export { addFactory } from './addFactory.js';
export {
  LedgerError,
  decodeUtf8,
  encodeUtf8,
  type Checkpoint,
  type Committed,
  type EventStream,
  type Ledger,
  type LedgerEngine,
  type LedgerErrorKind,
  type LedgerEvent,
  type LedgerMember,
  type SubmitOptions,
  type VerifyReport,
} from './ledger/ledger.js';
export { EmbeddedLedger, type EmbeddedLedgerOptions } from './ledger/embedded/embeddedLedger.js';
export type { StoredBlock, StoredTransaction } from './ledger/embedded/blockStore.js';
/** How the embedded ledger hashes its blocks: for tests that rewrite a copy of its file as a forger would. */
export {
  blockHashOf as embeddedBlockHashOf,
  dataHashOf as embeddedDataHashOf,
} from './ledger/embedded/blockStore.js';
export { FabricLedger } from './ledger/fabricLedger.js';
export { headerHash } from './ledger/fabricChain.js';
export {
  verifyFabricBlocks,
  policySatisfied,
  type ChainCheckpoint,
  type SignatureReport,
} from './ledger/fabricSignatures.js';
export { ThroughOwnNodes } from './ledger/throughOwnNodes.js';
export { openLedger, DEFAULT_EMBEDDED_DIR } from './ledger/openLedger.js';
export { RUNTIME_DIR } from './paths.js';
export {
  readOrganisationNodeFile,
  type OrganisationNode,
  type OrganisationNodeFile,
} from './organisationNodeFile.js';
export { enrolOrganisationMember } from './identity/enrolment.js';
export { readEnrolledMembers, type EnrolmentRequest } from './identity/enrolledMembers.js';
