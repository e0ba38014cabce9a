import { eventScenarios } from '../conformance/events.js';
import { governanceScenarios } from '../conformance/governance.js';
import { lotLifecycleScenarios } from '../conformance/lotLifecycle.js';
import { ownershipScenarios } from '../conformance/ownership.js';
import { poolScenarios } from '../conformance/pool.js';
import { privateDataScenarios } from '../conformance/privateData.js';
import { roundTripScenarios } from '../conformance/roundTrip.js';
import { routingFlowScenarios } from '../conformance/routingFlow.js';
import { overrunWatchScenarios } from '../conformance/overrunWatch.js';
import { amendmentScenarios } from '../conformance/amendments.js';
import { supplyDelayScenarios } from '../conformance/supplyDelays.js';

// The conformance suite on the live Fabric network (the same scenarios as conformance/embedded.test.ts).
poolScenarios('fabric');
lotLifecycleScenarios('fabric');
routingFlowScenarios('fabric');
overrunWatchScenarios('fabric');
amendmentScenarios('fabric');
supplyDelayScenarios('fabric');
ownershipScenarios('fabric');
privateDataScenarios('fabric');
eventScenarios('fabric');
roundTripScenarios('fabric');
governanceScenarios('fabric');
